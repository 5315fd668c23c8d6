import { type Span, Trace } from '../model';
import { createInterner, type LoadContext } from './context';
import type { FormatReader, TraceFormat } from './format';
import { detectReader, readerFor } from './readers';

/**
 * Where the spans of one load go: every parsed document (a whole file, or one JSON Lines
 * record) is handed to the reader of its format, and the spans are grouped by trace id as
 * they arrive (in arrival order within a trace, traces in the order their ids first appear).
 * One interner for the whole load, since names repeat across files as much as within one.
 */
export class SpanCollector {
  /** Spans added so far. */
  count = 0;
  readonly #groups = new Map<string, Span[]>();
  // Spans of one trace tend to come together: the last group is found without a lookup.
  #lastTraceId: string | undefined;
  #lastGroup: Span[] = [];
  readonly #forced: FormatReader | undefined;
  readonly #intern = createInterner();
  readonly #warn: (message: string) => void;
  readonly #warned = new Set<string>();
  readonly #warnOnce = (key: string, message: string): void => {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.#warn(message);
  };
  #last: FormatReader | undefined;
  // One closure for the whole load, not one per span.
  readonly #emit = (span: Span): void => {
    this.count++;
    const traceId = span.traceId;
    let group = this.#lastGroup;
    if (traceId !== this.#lastTraceId) {
      const known = this.#groups.get(traceId);
      if (known === undefined) {
        group = [];
        this.#groups.set(traceId, group);
      } else group = known;
      this.#lastTraceId = traceId;
      this.#lastGroup = group;
    }
    group.push(span);
  };

  constructor(format: TraceFormat | 'auto' | undefined, onWarning?: (message: string) => void) {
    this.#forced = format === undefined || format === 'auto' ? undefined : readerFor(format);
    this.#warn = onWarning ?? ignore;
  }

  /** The traces of every span added, in the order their trace ids first appeared. */
  traces(): Trace[] {
    const traces: Trace[] = [];
    for (const group of this.#groups.values()) traces.push(Trace.from(group));
    return traces;
  }

  warn(message: string): void {
    this.#warn(message);
  }

  add(value: unknown, file: string | undefined, line: number | undefined): void {
    const reader = this.#forced ?? this.#detect(value, file, line);
    const ctx: LoadContext = {
      file,
      line,
      intern: this.#intern,
      warn: this.#warn,
      warnOnce: this.#warnOnce,
    };
    reader.read(value, ctx, this.#emit);
  }

  // The lines of one file are nearly always one format: ask the last reader first.
  #detect(value: unknown, file: string | undefined, line: number | undefined): FormatReader {
    const last = this.#last;
    if (last?.detect(value)) return last;
    this.#last = detectReader(value, file, line);
    return this.#last;
  }
}

function ignore(): void {}

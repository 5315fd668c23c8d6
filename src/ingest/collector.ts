import type { Span } from '../model';
import { createInterner, type LoadContext } from './context';
import type { FormatReader, TraceFormat } from './format';
import { detectReader, readerFor } from './readers';

/**
 * Where the spans of one load go: every parsed document (a whole file, or one JSON Lines
 * record) is handed to the reader of its format, and the spans are kept in arrival order.
 * One interner for the whole load, since names repeat across files as much as within one.
 */
export class SpanCollector {
  readonly spans: Span[] = [];
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
    this.spans.push(span);
  };

  constructor(format: TraceFormat | 'auto' | undefined, onWarning?: (message: string) => void) {
    this.#forced = format === undefined || format === 'auto' ? undefined : readerFor(format);
    this.#warn = onWarning ?? ignore;
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

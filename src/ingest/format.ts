import type { Span } from '../model';

/** The trace formats tracespec reads. */
export type TraceFormat = 'otlp-json' | 'jaeger-json' | 'zipkin-json';

/** What a format reader knows about where its input came from, for error messages. */
export interface ReadContext {
  /** The file, or undefined for in-memory input. */
  readonly file: string | undefined;
  /** The 1-based line of a JSON Lines record; undefined for a whole-file JSON document. */
  readonly line: number | undefined;
  /** Returns one shared copy of a string that repeats across spans (names, services, keys). */
  intern(text: string): string;
}

/**
 * One trace format: recognises a parsed JSON value and turns it into spans.
 * Readers never throw anything but `InputError` (from `src/errors`), naming the file,
 * line and span id where they know them.
 */
export interface FormatReader {
  readonly format: TraceFormat;
  /** Whether a parsed JSON value is of this format. Cheap: looks at the top-level shape. */
  detect(value: unknown): boolean;
  /** Hand every span in `value` to `emit`, in document order. */
  read(value: unknown, ctx: ReadContext, emit: (span: Span) => void): void;
}

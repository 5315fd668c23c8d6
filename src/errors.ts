/**
 * Where a problem in user input is: the file, and as much of the position as is known.
 * `path` is a JSON path (`resourceSpans[0].scopeSpans[1].spans[3]`) where a line is not
 * known, e.g. inside a single-document JSON file.
 */
export interface InputLocation {
  readonly file?: string | undefined;
  readonly line?: number | undefined;
  readonly column?: number | undefined;
  readonly path?: string | undefined;
  readonly spanId?: string | undefined;
}

/**
 * Bad user input: a trace file, a selector, a spec, a flag. The CLI prints its message as
 * one line (no stack trace) and exits with code 2; the library throws it as is.
 * The message starts with the location, as compilers print it: `file:line:column: what`.
 */
export class InputError extends Error {
  override readonly name: string = 'InputError';
  readonly location: InputLocation;
  /** The message without the location prefix. */
  readonly reason: string;

  constructor(location: InputLocation, reason: string, options?: { cause?: unknown }) {
    super(`${formatLocation(location)}${reason}`, options);
    this.location = location;
    this.reason = reason;
  }
}

export function formatLocation(loc: InputLocation): string {
  let out = '';
  if (loc.file !== undefined) {
    out += loc.file;
    if (loc.line !== undefined) {
      out += `:${loc.line}`;
      if (loc.column !== undefined) out += `:${loc.column}`;
    }
  } else if (loc.line !== undefined) {
    out += `line ${loc.line}`;
    if (loc.column !== undefined) out += `, column ${loc.column}`;
  }
  const extra: string[] = [];
  if (loc.path !== undefined) extra.push(`at ${loc.path}`);
  if (loc.spanId !== undefined) extra.push(`span ${loc.spanId}`);
  if (extra.length > 0) out += out ? ` (${extra.join(', ')})` : extra.join(', ');
  return out ? `${out}: ` : '';
}

/**
 * A defect found deep inside a document by a helper that does not know where it is.
 * The reader catches it once per document (not per span), adds the file, line, JSON path
 * and span id it is at, and throws an `InputError` instead.
 */
export class Problem extends Error {
  /** Appended to the reader's JSON path, e.g. `events[2]`. */
  readonly at: string | undefined;

  constructor(reason: string, at?: string) {
    super(reason);
    this.at = at;
  }
}

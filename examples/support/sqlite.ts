/**
 * A real SQLite engine (sql.js: SQLite compiled to WebAssembly, in memory) behind a thin
 * client that traces every statement the way an OpenTelemetry database instrumentation
 * does. sql.js has no instrumentation of its own, so this is the one to copy for a driver
 * without one.
 *
 * Each statement is one CLIENT span, following the database semantic conventions:
 *
 * | attribute | example |
 * | --- | --- |
 * | span name = `db.query.summary` | `SELECT orders` |
 * | `db.system.name` | `sqlite` |
 * | `db.namespace` | `shop` |
 * | `db.operation.name` | `SELECT` |
 * | `db.collection.name` | `orders` |
 * | `db.query.text` | `SELECT id, total FROM orders WHERE customer_id = $customer` |
 * | `db.query.parameter.<name>` | `db.query.parameter.customer = "c-1"` (values as strings) |
 * | `db.response.returned_rows` | `3` |
 * | `error.type`, ERROR status, an `exception` event | when the statement fails |
 *
 * The span's duration is the statement's execution time. Parameters are opt-in in the
 * conventions (they may hold personal data): pass `captureParameters: false` to leave them out.
 */

import { type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import initSqlJs, { type Database, type SqlJsStatic, type SqlValue } from 'sql.js';

const tracer = trace.getTracer('examples/sqlite', '1.0.0');

/** Named parameters, without the `$` the SQL text uses: `{ id: 7 }` binds `$id`. */
export type Params = Readonly<Record<string, SqlValue>>;
export type Row = Record<string, SqlValue>;

/** A statement SQLite rejected; `query` is the statement's text. */
export class SqliteError extends Error {
  override readonly name = 'SqliteError';
  constructor(
    message: string,
    readonly query: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface OpenOptions {
  /** `db.namespace` on every span (default `main`). */
  readonly name?: string;
  /** Record parameter values as `db.query.parameter.<name>` (default true). */
  readonly captureParameters?: boolean;
}

let engine: Promise<SqlJsStatic> | undefined;

/** An in-memory SQLite database whose statements are traced. */
export class TracedDatabase {
  /**
   * Load the engine (once per test file) and open an empty in-memory database; on a
   * subclass, an instance of the subclass.
   */
  static async open<T extends TracedDatabase>(
    this: new (
      db: Database,
      options: OpenOptions,
    ) => T,
    options: OpenOptions = {},
  ): Promise<T> {
    engine ??= initSqlJs();
    const SQL = await engine;
    return new this(new SQL.Database(), options);
  }

  readonly name: string;
  private readonly captureParameters: boolean;

  constructor(
    private readonly db: Database,
    options: OpenOptions,
  ) {
    this.name = options.name ?? 'main';
    this.captureParameters = options.captureParameters ?? true;
  }

  /** Run a schema or seed script, untraced: setup, not the code under test. */
  migrate(script: string): void {
    this.db.exec(script);
  }

  /** Run a statement that returns rows (SELECT, or a write with RETURNING). */
  query<T extends Row = Row>(sql: string, params: Params = {}): T[] {
    return this.traced(sql, params, (span) => {
      const statement = this.db.prepare(sql);
      try {
        statement.bind(bindable(params));
        const rows: T[] = [];
        while (statement.step()) rows.push(statement.getAsObject() as T);
        span.setAttribute('db.response.returned_rows', rows.length);
        return rows;
      } finally {
        statement.free();
      }
    });
  }

  /** Run a statement for its effect (INSERT, UPDATE, DELETE); returns the changed row count. */
  execute(sql: string, params: Params = {}): number {
    return this.traced(sql, params, () => {
      this.db.run(sql, bindable(params));
      return this.db.getRowsModified();
    });
  }

  close(): void {
    this.db.close();
  }

  /**
   * A statement failed: the span gets ERROR status, `error.type` and the exception. Note
   * that `recordException` alone does not set ERROR status; leaving it out is a classic
   * bug, which example 02 shows a test catching.
   */
  protected recordFailure(span: Span, error: SqliteError): void {
    span.recordException(error);
    span.setAttribute('error.type', error.name);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  }

  private traced<T>(sql: string, params: Params, run: (span: Span) => T): T {
    const { operation, collection } = summarize(sql);
    const summary = collection ? `${operation} ${collection}` : operation;
    const attributes: Record<string, string> = {
      'db.system.name': 'sqlite',
      'db.namespace': this.name,
      'db.operation.name': operation,
      'db.query.summary': summary,
      'db.query.text': sql.trim().replace(/\s+/g, ' '),
    };
    if (collection) attributes['db.collection.name'] = collection;
    if (this.captureParameters) {
      for (const [name, value] of Object.entries(params)) {
        attributes[`db.query.parameter.${name}`] =
          value instanceof Uint8Array ? '<blob>' : String(value);
      }
    }
    return tracer.startActiveSpan(summary, { kind: SpanKind.CLIENT, attributes }, (span) => {
      try {
        return run(span);
      } catch (cause) {
        const message = cause instanceof Error ? cause.message : String(cause);
        const error = new SqliteError(message, sql, { cause });
        this.recordFailure(span, error);
        throw error;
      } finally {
        span.end();
      }
    });
  }
}

function bindable(params: Params): Record<string, SqlValue> {
  const bound: Record<string, SqlValue> = {};
  for (const [name, value] of Object.entries(params)) bound[`$${name}`] = value;
  return bound;
}

const OPERATION =
  /^\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|WITH|BEGIN|COMMIT|ROLLBACK)\b/i;
const TARGET = {
  SELECT: /\bFROM\s+["`[]?(\w+)/i,
  INSERT: /\bINTO\s+["`[]?(\w+)/i,
  REPLACE: /\bINTO\s+["`[]?(\w+)/i,
  UPDATE: /^\s*UPDATE\s+(?:OR\s+\w+\s+)?["`[]?(\w+)/i,
  DELETE: /\bFROM\s+["`[]?(\w+)/i,
} as Record<string, RegExp | undefined>;

/**
 * The operation and main table of a simple statement (`SELECT ... FROM orders ...` →
 * SELECT, orders), as the conventions' query summary asks; a JOIN reports its first table.
 */
export function summarize(sql: string): { operation: string; collection: string | undefined } {
  const operation = (OPERATION.exec(sql)?.[1] ?? 'QUERY').toUpperCase();
  const collection = TARGET[operation]?.exec(sql)?.[1];
  return { operation, collection };
}

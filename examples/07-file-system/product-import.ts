import { readFile, writeFile } from 'node:fs/promises';
import { type Span, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('example-import');

export interface ImportedProduct {
  readonly sku: string;
  readonly name: string;
  readonly priceCents: number;
}

export interface RejectedRow {
  /** 1-based line in the CSV file, the header being line 1. */
  readonly line: number;
  readonly reason: string;
}

export interface ImportResult {
  readonly imported: number;
  readonly rejected: readonly RejectedRow[];
  readonly outputPath: string;
}

/** A file that cannot be imported at all (as opposed to rows that are skipped). */
export class ImportError extends Error {
  override readonly name = 'ImportError';
}

const COLUMNS = ['sku', 'name', 'price'] as const;

/**
 * Imports a product CSV (`sku,name,price`) into the JSON the catalog reads: read the file,
 * parse it, validate each row (bad rows are skipped and reported), write the output.
 *
 * Each file operation is a span named as `@opentelemetry/instrumentation-fs` names them
 * (`fs readFile`, `fs writeFile`), with `file.path` and `file.size`; a failure is recorded
 * on the span where it happened and propagates to the import's root span.
 */
export class ProductImporter {
  run(csvPath: string, outputPath: string): Promise<ImportResult> {
    const attributes = {
      'code.function.name': 'ProductImporter.run',
      'import.source': csvPath,
    };
    return tracer.startActiveSpan('import products', { attributes }, async (span) => {
      try {
        const text = await this.readSource(csvPath);
        const rows = this.parse(text);
        const { products, rejected } = this.validate(rows);
        await this.writeOutput(outputPath, products);
        span.setAttributes({
          'import.products.imported': products.length,
          'import.rows.rejected': rejected.length,
        });
        return { imported: products.length, rejected, outputPath };
      } catch (error) {
        fail(span, error as Error);
        throw error;
      } finally {
        span.end();
      }
    });
  }

  protected readSource(path: string): Promise<string> {
    return fsSpan('fs readFile', path, async (span) => {
      const text = await readFile(path, 'utf8');
      span.setAttribute('file.size', Buffer.byteLength(text));
      return text;
    });
  }

  protected parse(text: string): string[][] {
    return tracer.startActiveSpan('parse csv', (span) => {
      try {
        const [header = '', ...lines] = text.split(/\r?\n/);
        const columns = header.split(',').map((c) => c.trim());
        if (COLUMNS.some((c, i) => columns[i] !== c)) {
          throw new ImportError(`expected the columns ${COLUMNS.join(',')}, found ${header}`);
        }
        const rows = lines.filter((line) => line.trim() !== '').map((line) => line.split(','));
        span.setAttribute('import.rows.total', rows.length);
        return rows;
      } catch (error) {
        fail(span, error as Error);
        throw error;
      } finally {
        span.end();
      }
    });
  }

  protected validate(rows: readonly string[][]): {
    products: ImportedProduct[];
    rejected: RejectedRow[];
  } {
    return tracer.startActiveSpan('validate rows', (span) => {
      const products: ImportedProduct[] = [];
      const rejected: RejectedRow[] = [];
      rows.forEach((cells, i) => {
        const line = i + 2;
        const [sku = '', name = '', price = ''] = cells.map((c) => c.trim());
        const priceCents = Math.round(Number(price) * 100);
        let reason: string | undefined;
        if (cells.length !== COLUMNS.length) reason = `expected 3 fields, found ${cells.length}`;
        else if (!/^[A-Z]{3}-\d+$/.test(sku)) reason = `invalid sku "${sku}"`;
        else if (name === '') reason = 'empty name';
        else if (price === '' || !Number.isFinite(priceCents) || priceCents <= 0)
          reason = `invalid price "${price}"`;
        if (reason) {
          rejected.push({ line, reason });
          // Rejected rows are expected in real files: an event each, not an error.
          span.addEvent('row rejected', { 'import.row.line': line, 'import.row.reason': reason });
        } else products.push({ sku, name, priceCents });
      });
      span.setAttributes({
        'import.rows.valid': products.length,
        'import.rows.rejected': rejected.length,
      });
      span.end();
      return { products, rejected };
    });
  }

  protected writeOutput(path: string, products: readonly ImportedProduct[]): Promise<void> {
    return fsSpan('fs writeFile', path, async (span) => {
      const json = `${JSON.stringify(products, null, 2)}\n`;
      await writeFile(path, json, 'utf8');
      span.setAttribute('file.size', Buffer.byteLength(json));
    });
  }
}

function fsSpan<T>(name: string, path: string, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes: { 'file.path': path } }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code) span.setAttribute('error.type', code);
      fail(span, error as Error);
      throw error;
    } finally {
      span.end();
    }
  });
}

function fail(span: Span, error: Error): void {
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}

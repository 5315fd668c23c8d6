import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { captureTrace } from 'tracespec';
import { ProductImporter } from './product-import';

const CSV = [
  'sku,name,price',
  'ESP-1,Espresso machine,349.00',
  'FRO-2,Milk frother,59.00',
  'bad sku,Grinder,129.00',
  'TMP-4,Tamper,',
  'CUP-5,Cup set,24.50',
  '',
].join('\n');

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tracespec-import-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('CSV → JSON import on real files', () => {
  test('reads, validates and writes, with the file paths and sizes on the spans', async () => {
    const source = join(dir, 'products.csv');
    const output = join(dir, 'products.json');
    await writeFile(source, CSV);

    const trace = await captureTrace(() => new ProductImporter().run(source, output));

    expect(trace).toMatchTraceTree(
      `
      import products
      ├── fs readFile
      ├── parse csv
      ├── validate rows
      └── fs writeFile
    `,
      { strict: true, ordered: true },
    );
    expect(trace).toHaveAttributes('{ name = "fs readFile" }', {
      'file.path': source,
      'file.size': (await stat(source)).size,
    });
    expect(trace).toHaveAttributes('{ name = "fs writeFile" }', {
      'file.path': output,
      'file.size': (await stat(output)).size,
    });
    expect(trace).toHaveAttributes('{ name = "validate rows" }', {
      'import.rows.valid': 3,
      'import.rows.rejected': 2,
    });
    // Rejected rows are events on the validation span, not errors.
    expect(trace).toHaveNoErrors();
    const validate = trace.spans.find((s) => s.name === 'validate rows');
    expect(validate?.events.map((e) => e.attributes)).toEqual([
      { 'import.row.line': 4, 'import.row.reason': 'invalid sku "bad sku"' },
      { 'import.row.line': 5, 'import.row.reason': 'invalid price ""' },
    ]);
    expect(JSON.parse(await readFile(output, 'utf8'))).toHaveLength(3);
  });

  test('a missing file fails where it was read, with the exception recorded', async () => {
    const missing = join(dir, 'missing.csv');

    let thrown: unknown;
    const trace = await captureTrace(() =>
      new ProductImporter().run(missing, join(dir, 'out.json')).catch((error) => {
        thrown = error;
      }),
    );

    expect((thrown as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(trace).toHaveErrorOrigin('{ name = "fs readFile" }');
    // The SDK's recordException() takes exception.type from a Node system error's `code`
    // (ENOENT), not from its class (Error); the message is Node's.
    expect(trace).toHaveRecordedException('{ name = "fs readFile" }', {
      type: 'ENOENT',
      message: /no such file or directory/,
    });
    // `type` compares exactly, so the class name does not fit; the message lists what was
    // recorded, as `type: message`.
    expect(() =>
      expect(trace).toHaveRecordedException('{ name = "fs readFile" }', { type: 'Error' }),
    ).toThrow(/none of the recorded exceptions fits:[\s\S]*ENOENT: ENOENT: no such file/);
    expect(trace).toHaveAttributes('{ name = "fs readFile" }', {
      'file.path': missing,
      'error.type': 'ENOENT',
      'file.size': undefined,
    });
    expect(trace).toPropagateError({ from: '{ name = "fs readFile" }' });
    // Nothing after the read ran.
    expect(trace).toHaveSpanCount('{ name = "fs writeFile" || name = "validate rows" }', 0);
  });

  test('a file with the wrong header fails in the parser, and nothing is written', async () => {
    const source = join(dir, 'orders.csv');
    await writeFile(source, 'order,total\n1,20\n');

    const trace = await captureTrace(() =>
      new ProductImporter().run(source, join(dir, 'out.json')).catch(() => undefined),
    );

    expect(trace).toHaveErrorOrigin('{ name = "parse csv" }');
    expect(trace).toHaveRecordedException('{ name = "parse csv" }', {
      type: 'ImportError',
      message: 'expected the columns sku,name,price',
    });
    expect(trace).toHaveSpanCount('{ name = "fs writeFile" }', 0);
    await expect(stat(join(dir, 'out.json'))).rejects.toThrow(/ENOENT/);
  });
});

describe('the same expectations catch a broken importer', () => {
  /** Treats an unreadable file as an empty one: the import "succeeds" with nothing in it. */
  class LenientImporter extends ProductImporter {
    protected override async readSource(path: string): Promise<string> {
      try {
        return await super.readSource(path);
      } catch {
        return 'sku,name,price\n';
      }
    }
  }

  test('an importer that swallows the read error', async () => {
    const trace = await captureTrace(() =>
      new LenientImporter().run(join(dir, 'missing.csv'), join(dir, 'out.json')),
    );

    // The read still failed (and says so), but the import reports success.
    expect(() => expect(trace).toPropagateError({ from: '{ name = "fs readFile" }' })).toThrow(
      /"import products" \[[^\]]*\] handled it: its status is UNSET/,
    );
    expect(() => expect(trace).toHaveSpanCount('{ name = "fs writeFile" }', 0)).toThrow(
      /exactly 0 spans[\s\S]*1 span:/,
    );
  });
});

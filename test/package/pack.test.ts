/**
 * The package as users get it: `npm pack` (whose `prepack` builds), installed from the
 * tarball into a fresh project outside the repository, then used from real child
 * processes: CommonJS `require`, ESM named imports, the `tracespec` bin, and the type
 * declarations under `--module node16` for both `.cts` and `.mts`. Also checks what the
 * tarball holds and leaves out.
 */

import { type SpawnSyncOptions, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { PROJECT_ROOT, realFixture } from '../helpers/fixtures';

const MINUTES = 60_000;

/** OTLP/JSON from the OpenTelemetry Demo: one trace, six spans over three services, five errors. */
const FIXTURE = realFixture('jaeger-skills/sibling_errors.json');

/**
 * The child's environment without the `npm_*` variables an enclosing `npm test` sets:
 * `npm_config_*` there would steer the nested npm (prefix, cache, …) towards the repo.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key)) env[key] = value;
  }
  env.NO_COLOR = '1';
  return env;
}

function run(
  command: string,
  args: readonly string[],
  cwd: string,
  options: SpawnSyncOptions = {},
) {
  const result = spawnSync(command, args, {
    cwd,
    env: cleanEnv(),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    ...options,
  });
  return {
    status: result.status,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    error: result.error,
  };
}

function mustRun(command: string, args: readonly string[], cwd: string): string {
  const result = run(command, args, cwd);
  if (result.error || result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}\n${result.error ?? ''}\n` +
        `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/** What the fixture holds, read independently of tracespec. */
function expectedFromFixture(): { traces: number; spans: number; errorSpanIds: string[] } {
  interface RawSpan {
    traceId: string;
    spanId: string;
    status?: { code?: number | string };
  }
  const doc = JSON.parse(readFileSync(FIXTURE, 'utf8')) as {
    resourceSpans: { scopeSpans: { spans: RawSpan[] }[] }[];
  };
  const spans = doc.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
  const isError = (s: RawSpan) => s.status?.code === 2 || s.status?.code === 'STATUS_CODE_ERROR';
  return {
    traces: new Set(spans.map((s) => s.traceId.toLowerCase())).size,
    spans: spans.length,
    errorSpanIds: spans
      .filter(isError)
      .map((s) => s.spanId.toLowerCase())
      .sort(),
  };
}

/** What the consumer scripts print: the same summary from CommonJS and from ESM. */
const SUMMARY_BODY = `
  const traces = await loadTraces(file);
  const errors = select(traces, parseSelector('{ status = error }'));
  const below = select(traces, parseSelector('{ kind = server } >> { status = error }'));
  return {
    traces: traces.length,
    spans: traces.reduce((n, t) => n + t.spans.length, 0),
    errorSpanIds: errors.map((s) => s.spanId).sort(),
    belowServer: below.length,
  };
`;

let work: string;
let consumer: string;
let tarball: string;
/** Paths in the tarball, without the leading `package/`. */
let entries: string[];
let extracted: string;

beforeAll(() => {
  work = realpathSync(mkdtempSync(join(tmpdir(), 'tracespec-pack-')));
  const packDir = join(work, 'pack');
  mkdirSync(packDir);
  mustRun('npm', ['pack', '--pack-destination', packDir], PROJECT_ROOT);
  const tgz = readdirSync(packDir).filter((f) => f.endsWith('.tgz'));
  expect(tgz).toHaveLength(1);
  tarball = join(packDir, tgz[0] as string);

  entries = mustRun('tar', ['-tzf', tarball], work)
    .split('\n')
    .filter((line) => line !== '' && !line.endsWith('/'))
    .map((line) => line.replace(/^package\//, ''));
  extracted = join(work, 'extracted');
  mkdirSync(extracted);
  mustRun('tar', ['-xzf', tarball, '-C', extracted], work);

  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(
    join(consumer, 'package.json'),
    `${JSON.stringify({ name: 'tracespec-consumer', version: '1.0.0', private: true }, null, 2)}\n`,
  );
  // @types/node as any TypeScript project on Node has it; the tarball by path, as a user would.
  mustRun(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, '@types/node@^20'],
    consumer,
  );
}, 6 * MINUTES);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the installed package', () => {
  test('is the tarball, installed outside the repository', () => {
    const resolved = mustRun(
      process.execPath,
      ['-p', "require.resolve('tracespec')"],
      consumer,
    ).trim();
    expect(resolved).toBe(join(consumer, 'node_modules', 'tracespec', 'dist', 'src', 'index.js'));
  });

  test(
    'CommonJS: require() loads a real OTLP file and runs selectors',
    () => {
      writeFileSync(
        join(consumer, 'use.cjs'),
        `const { loadTraces, parseSelector, select } = require('tracespec');
async function summary(file) {${SUMMARY_BODY}}
summary(process.argv[2]).then((s) => console.log(JSON.stringify(s)));
`,
      );
      const out = JSON.parse(mustRun(process.execPath, ['use.cjs', FIXTURE], consumer));
      const expected = expectedFromFixture();
      expect(out).toMatchObject(expected);
      // Every error below the checkout server span, which fails itself too.
      expect(out.belowServer).toBe(expected.errorSpanIds.length - 1);
    },
    2 * MINUTES,
  );

  test(
    'ESM: named imports work from an .mjs file',
    () => {
      writeFileSync(
        join(consumer, 'use.mjs'),
        `import { loadTraces, parseSelector, select } from 'tracespec';
import * as namespace from 'tracespec';
async function summary(file) {${SUMMARY_BODY}}
const s = await summary(process.argv[2]);
s.namespaceHasLoadTraces = typeof namespace.loadTraces === 'function';
console.log(JSON.stringify(s));
`,
      );
      const out = JSON.parse(mustRun(process.execPath, ['use.mjs', FIXTURE], consumer));
      expect(out).toMatchObject({ ...expectedFromFixture(), namespaceHasLoadTraces: true });
    },
    2 * MINUTES,
  );
});

describe('the tracespec bin', () => {
  const bin = () => join(consumer, 'node_modules', '.bin', 'tracespec');

  test('--help exits 0 and lists the commands', () => {
    const result = run(bin(), ['--help'], consumer);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('query');
    expect(result.stdout).toContain('show');
  });

  test('--version prints the package version', () => {
    const version = (
      JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }
    ).version;
    const result = run(bin(), ['--version'], consumer);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  test('run: validates a spec against the shipped schema and gates on it', () => {
    const specs = join(work, 'specs');
    mkdirSync(specs, { recursive: true });
    const spec = join(specs, 'errors.yaml');
    writeFileSync(
      spec,
      `name: no errors\ntraces: ${JSON.stringify(FIXTURE)}\nchecks:\n  - no_errors: true\n`,
    );
    const failed = run(bin(), ['run', spec, '--reporter', 'json'], consumer);
    expect({ status: failed.status, stderr: failed.stderr }).toEqual({ status: 1, stderr: '' });
    expect(JSON.parse(failed.stdout)).toMatchObject({ verdict: 'fail' });
    writeFileSync(spec, 'name: typo\nslos:\n  - selct: x\n');
    const invalid = run(bin(), ['validate', spec], consumer);
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toContain('errors.yaml:3:5: unknown key `selct`');
  });

  test('query --json prints the matching spans as JSON', () => {
    const result = run(
      bin(),
      ['query', FIXTURE, '--select', '{ status = error }', '--json'],
      consumer,
    );
    expect({ status: result.status, stderr: result.stderr }).toMatchObject({ status: 0 });
    const spans = JSON.parse(result.stdout) as unknown;
    expect(Array.isArray(spans)).toBe(true);
    const expected = expectedFromFixture();
    expect(spans).toHaveLength(expected.errorSpanIds.length);
    for (const id of expected.errorSpanIds) expect(result.stdout).toContain(id);
  });
});

describe('the type declarations', () => {
  // Uses the public types the way a consumer would; the @ts-expect-error lines fail the
  // check if the imports resolve to `any` instead of the declarations.
  const source = `import { loadTraces, parseSelector, select, Span, Trace, InputError } from 'tracespec';

export async function errorNames(file: string): Promise<string[]> {
  const traces: Trace[] = await loadTraces(file);
  const selector = parseSelector('{ kind = server } >> { status = error }');
  const names: string[] = [];
  for (const span of select(traces, selector)) {
    const s: Span = span;
    const ms: number = s.durationMs;
    names.push(\`\${s.name} \${s.service} \${ms}\`);
    // @ts-expect-error a span name is a string
    const wrong: number = s.name;
    void wrong;
  }
  const first: Trace | undefined = traces[0];
  if (first?.root) names.push(first.root.name);
  return names;
}

export function isInputError(error: unknown): boolean {
  return error instanceof InputError;
}

// @ts-expect-error loadTraces is not a string
export const notAString: string = loadTraces;
`;

  const tsc = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsc');
  const flags = [
    '--module',
    'node16',
    '--moduleResolution',
    'node16',
    '--strict',
    '--noEmit',
    '--types',
    'node',
  ];

  test.each(['cts', 'mts'])(
    'type-check as .%s with tsc --module node16 --strict',
    (ext) => {
      const file = `check.${ext}`;
      writeFileSync(join(consumer, file), source);
      const result = run(tsc, [...flags, file], consumer);
      expect(`${result.stdout}${result.stderr}`).toBe('');
      expect(result.status).toBe(0);
    },
    2 * MINUTES,
  );
});

describe('the tarball', () => {
  test('holds the entry points, the declarations and the bin', () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      main: string;
      types: string;
      bin: Record<string, string>;
      exports?: unknown;
    };
    expect(entries).toContain('package.json');
    expect(entries).toContain('dist/src/index.d.ts');
    expect(entries).toContain(posix.normalize(pkg.main));
    expect(entries).toContain(posix.normalize(pkg.types));
    for (const target of Object.values(pkg.bin)) expect(entries).toContain(posix.normalize(target));
    // Every file the `exports` map names (`.`, `./jest`, ...), under every condition.
    const targets: string[] = [];
    const collect = (value: unknown): void => {
      if (typeof value === 'string') targets.push(posix.normalize(value));
      else if (value && typeof value === 'object') Object.values(value).forEach(collect);
    };
    collect(pkg.exports);
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect(entries).toContain(target);
  });

  test('holds the Jest preset, and the built runtime it names', () => {
    expect(entries).toContain('jest-preset.js');
    expect(entries).toContain('dist/src/jest-runtime.js');
    const preset = readFileSync(join(extracted, 'package/jest-preset.js'), 'utf8');
    expect(preset).toContain("require.resolve('./dist/src/jest-runtime.js')");
    expect(preset).toContain("require.resolve('./dist/src/jest.js')");
  });

  test("holds the spec schema for editors, and none of the repository's own specs", () => {
    expect(entries.filter((f) => f.startsWith('specs/'))).toEqual(['specs/tracespec.schema.json']);
  });

  test('leaves out tests, benchmarks and TypeScript sources', () => {
    const excluded = entries.filter(
      (f) =>
        /^(test|bench|examples|src|matchers|coverage|node_modules)\//.test(f) ||
        (/\.[cm]?ts$/.test(f) && !/\.d\.[cm]?ts$/.test(f)) ||
        /(^|\/)tsconfig[^/]*\.json$/.test(f) ||
        f.endsWith('.tgz'),
    );
    expect(excluded).toEqual([]);
  });

  test('has no source map pointing at a file it does not hold', () => {
    const problems: string[] = [];
    const root = join(extracted, 'package');
    const inside = (abs: string) => {
      const rel = relative(root, abs);
      return rel !== '' && !rel.startsWith('..') && !rel.startsWith('/');
    };
    for (const entry of entries) {
      const abs = join(root, entry);
      if (entry.endsWith('.map')) {
        const map = JSON.parse(readFileSync(abs, 'utf8')) as {
          sourceRoot?: string;
          sources?: string[];
          sourcesContent?: (string | null)[];
        };
        (map.sources ?? []).forEach((source, i) => {
          const target = resolve(dirname(abs), map.sourceRoot ?? '', source);
          if (!inside(target)) problems.push(`${entry}: ${source} is outside the package`);
          else if (!existsSync(target) && typeof map.sourcesContent?.[i] !== 'string') {
            problems.push(`${entry}: ${source} is not in the package and not inlined`);
          }
        });
      } else if (/\.(c|m)?js$|\.d\.[cm]?ts$/.test(entry)) {
        const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(abs, 'utf8'))?.[1];
        if (url && !url.startsWith('data:')) {
          const target = resolve(dirname(abs), url);
          if (!inside(target) || !existsSync(target))
            problems.push(`${entry}: sourceMappingURL ${url} is missing`);
        }
      }
    }
    // The first few, and how many more: one per compiled file when the build's maps are off.
    const shown = problems.slice(0, 5);
    if (problems.length > shown.length) shown.push(`… and ${problems.length - shown.length} more`);
    expect(shown).toEqual([]);
  });
});

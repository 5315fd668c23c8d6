/**
 * tracespec benchmarks: `npm run bench` (1,000,000 spans), or
 * `npm run bench -- --spans 100000 [--reps 3] [--query-reps 5] [--seed N] [--no-memory] [--json]`.
 *
 * (a) floor: stream the file and JSON.parse every line; (b) loadTraces on the same file,
 * and b/a; (c) memory held by the loaded traces (fresh child process, forced GC);
 * (d) a structural and a filter query at a tenth of the spans and at all of them, and the
 * ratio (≈10 when linear, ≈100 when quadratic), plus a structural query on one deep trace.
 *
 * The data set is generated once per size and seed into bench/out/ (see generate.js) and
 * reused; the figures of each size's last run are saved there too (results-N.json). Runs
 * that are compared alternate, so that a busy moment of a shared machine hits both sides
 * of a ratio. Progress goes to stderr; the table (or, with --json, the figures) to stdout.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ensureDataset, DEFAULT_SEED } = require('./generate');
const M = require('./measure');

const OUT_DIR = path.join(__dirname, 'out');
const GOALS = { loadRatio: 1.5, bytesPerSpan: 500, linearRatio: 20 };
const STRUCTURAL = '{ kind = server } >> { span.db.system = "postgresql" }';
const FILTER = '{ span.db.system = "postgresql" }';

function parseArgs(argv) {
  const { noMemory, ...args } = M.readOptions(
    argv,
    { spans: 1_000_000, reps: 3, queryReps: 5, seed: DEFAULT_SEED, json: false, noMemory: false },
    'node --expose-gc bench/run.js [--spans N] [--reps N] [--query-reps N] [--seed N] [--no-memory] [--json]',
  );
  return { ...args, memory: !noMemory };
}

const log = (message) => process.stderr.write(`${message}\n`);

function loadLibrary() {
  const lib = require('../dist/src/index.js');
  const missing = ['loadTraces', 'parseSelector', 'select', 'Span', 'Trace'].filter(
    (name) => typeof lib[name] !== 'function',
  );
  if (missing.length > 0) {
    throw new Error(
      `dist/src/index.js does not export ${missing.join(', ')}: does src/index.ts export ingest and query, and did the build run?`,
    );
  }
  return lib;
}

function countSpans(traces) {
  let n = 0;
  for (const trace of traces) n += trace.spans.length;
  return n;
}

/**
 * The timed runs live in functions of their own, which return only what is kept: a
 * result held in a variable of `main` could stay reachable from the async function's
 * saved registers after the variable is cleared, and a previous run's million spans would
 * then slow down the next run's garbage collection.
 */
async function timedFloor(file) {
  return (await M.timeMs(() => M.parseEveryLine(file))).ms;
}

async function timedLoad(lib, file, keep) {
  const { ms, result } = await M.timeMs(() => lib.loadTraces(file, { progress: false }));
  return { ms, traces: keep ? result : undefined };
}

/** The first traces holding at least `spans` spans (the data set's prefix). */
function prefix(traces, spans) {
  let n = 0;
  let i = 0;
  while (i < traces.length && n < spans) n += traces[i++].spans.length;
  return { traces: traces.slice(0, i), spans: n };
}

function measureMemory(file) {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=8192', path.join(__dirname, 'memory.js'), file],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (child.status !== 0) throw new Error(`memory measurement failed:\n${child.stderr}`);
  const m = JSON.parse(child.stdout);
  const held = m.after.heapUsed + m.after.external - (m.before.heapUsed + m.before.external);
  const rss = m.after.rss - m.before.rss;
  return {
    spans: m.spans,
    traces: m.traces,
    heapPlusExternalBytes: held,
    heapUsedBytes: m.after.heapUsed - m.before.heapUsed,
    externalBytes: m.after.external - m.before.external,
    rssBytes: rss,
    bytesPerSpan: held / m.spans,
    rssBytesPerSpan: rss / m.spans,
    /** heapUsed + external left after dropping the traces: module-level caches that keep data. */
    retainedAfterReleaseBytes:
      m.released.heapUsed + m.released.external - (m.before.heapUsed + m.before.external),
    raw: m,
  };
}

/**
 * `select` on a tenth of the data and on all of it, alternately, so that a noisy moment
 * of the machine hits both sizes alike: one warm-up run of each, then at least `reps`
 * pairs, more (up to 40) until they add up to two seconds. The match counts must not vary.
 */
function timeQueryPair(lib, tenth, all, selector, reps) {
  const sizes = [tenth, all].map((part) => ({
    part,
    matches: lib.select(part.traces, selector).length,
    samples: [],
  }));
  M.collect();
  let total = 0;
  for (let pair = 0; pair < reps || (total < 2000 && pair < 40); pair++) {
    for (const size of sizes) {
      const start = process.hrtime.bigint();
      const result = lib.select(size.part.traces, selector);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      size.samples.push(ms);
      total += ms;
      if (result.length !== size.matches) {
        throw new Error(`select returned ${size.matches} spans, then ${result.length}`);
      }
    }
  }
  const [small, big] = sizes.map((size) => ({
    spans: size.part.spans,
    matches: size.matches,
    samples: size.samples,
    medianMs: M.median(size.samples),
    minMs: Math.min(...size.samples),
  }));
  return {
    tenth: small,
    all: big,
    ratio: big.medianMs / small.medianMs,
    ratioOfMins: big.minMs / small.minMs,
  };
}

/**
 * One trace shaped as a chain: server → (postgresql call, server → (...)). The adversarial
 * case for `>>`: every server span is an ancestor of every deeper database call, so a
 * query that walks subtrees or ancestor chains span by span is quadratic here, while one
 * that uses the pre-order ranges stays linear. Trace size is bounded in the data set, so
 * only this shows per-trace cost.
 */
function deepTrace(lib, spans) {
  const traceId = 'd'.repeat(32);
  const resource = { attributes: { 'service.name': 'deep' } };
  const base = 1767225600000000000n;
  const list = [];
  const id = (i) => i.toString(16).padStart(16, '0');
  const levels = Math.floor(spans / 2);
  for (let level = 0; level < levels; level++) {
    const start = base + BigInt(level) * 1000n;
    const end = base + BigInt(2 * levels - level) * 1000n;
    list.push(
      new lib.Span({
        traceId,
        spanId: id(2 * level + 1),
        parentSpanId: level === 0 ? undefined : id(2 * level - 1),
        name: `GET /level/${level}`,
        kind: 'server',
        resource,
        attributes: { 'http.request.method': 'GET' },
        startTimeUnixNano: start,
        endTimeUnixNano: end,
      }),
      new lib.Span({
        traceId,
        spanId: id(2 * level + 2),
        parentSpanId: id(2 * level + 1),
        name: 'SELECT orders',
        kind: 'client',
        resource,
        attributes: { 'db.system': 'postgresql' },
        startTimeUnixNano: start + 1n,
        endTimeUnixNano: start + 500n,
      }),
    );
  }
  return lib.Trace.from(list);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!M.hasGc)
    log(
      'warning: run with node --expose-gc (npm run bench does) for clean timings and memory figures',
    );
  const lib = loadLibrary();
  const data = ensureDataset(OUT_DIR, { spans: args.spans, seed: args.seed, log });
  const file = data.file;
  const env = {
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    totalMemBytes: os.totalmem(),
    loadAverageAtStart: os.loadavg(),
    loadAverageAtEnd: undefined,
  };

  // (c) first, in a fresh process, while this one holds nothing.
  let mem;
  if (args.memory) {
    log('memory: loading in a child process');
    mem = measureMemory(file);
  }

  // (a) and (b), interleaved so that a noisy moment hits both. The file is in the page
  // cache (just written or read by the memory child); otherwise warm it, untimed.
  if (!args.memory && data.reused) {
    log('warm-up: read + JSON.parse');
    await M.parseEveryLine(file);
  }
  const floor = [];
  const load = [];
  let traces;
  for (let rep = 1; rep <= args.reps; rep++) {
    log(`rep ${rep}/${args.reps}: read + JSON.parse`);
    floor.push(await timedFloor(file));
    log(`rep ${rep}/${args.reps}: loadTraces`);
    const b = await timedLoad(lib, file, rep === args.reps);
    load.push(b.ms);
    traces = b.traces;
  }
  const loadedSpans = countSpans(traces);
  const loadedTraces = traces.length;
  if (loadedSpans !== data.spans) {
    log(`warning: loadTraces returned ${loadedSpans} spans, the file has ${data.spans}`);
  }

  // (d) queries on a tenth of the data set and on all of it.
  log('queries');
  const structural = lib.parseSelector(STRUCTURAL);
  const filter = lib.parseSelector(FILTER);
  const small = prefix(traces, Math.round(data.spans / 10));
  const queries = {};
  const whole = { traces, spans: loadedSpans };
  for (const [name, selector, text] of [
    ['structural', structural, STRUCTURAL],
    ['filter', filter, FILTER],
  ]) {
    queries[name] = {
      selector: text,
      ...timeQueryPair(lib, small, whole, selector, args.queryReps),
    };
  }
  traces = undefined;
  whole.traces = undefined;
  small.traces = undefined;

  log('deep trace');
  let deep = { selector: STRUCTURAL };
  {
    const t1 = deepTrace(lib, 2000);
    lib.select([t1], structural);
    const start = process.hrtime.bigint();
    lib.select([t1], structural);
    const once = Number(process.hrtime.bigint() - start) / 1e6;
    // Quadratic at 2k would be 100× at 20k: skip rather than stall beyond ~10 s a run.
    if (once * 100 < 10_000) {
      const t2 = deepTrace(lib, 20000);
      deep = {
        ...deep,
        ...timeQueryPair(
          lib,
          { traces: [t1], spans: t1.spans.length },
          { traces: [t2], spans: t2.spans.length },
          structural,
          args.queryReps,
        ),
      };
    } else deep.tenth = { spans: t1.spans.length, samples: [once], medianMs: once, minMs: once };
  }

  const floorMs = M.median(floor);
  const loadMs = M.median(load);
  const results = {
    env,
    dataset: {
      file: path.relative(process.cwd(), file),
      spans: data.spans,
      traces: data.traces,
      lines: data.lines,
      bytes: data.bytes,
      seed: data.seed,
      reused: data.reused,
    },
    reps: args.reps,
    floor: {
      samplesMs: floor,
      medianMs: floorMs,
      minMs: Math.min(...floor),
      mbPerS: data.bytes / 1e3 / floorMs,
    },
    load: {
      samplesMs: load,
      medianMs: loadMs,
      minMs: Math.min(...load),
      spansPerS: (data.spans / loadMs) * 1e3,
      traces: loadedTraces,
      spans: loadedSpans,
      // Each rep's load against the floor measured just before it, then the median: a
      // slow moment of a busy machine then inflates both sides of one ratio.
      ratio: M.median(load.map((ms, i) => ms / floor[i])),
      ratioOfMedians: loadMs / floorMs,
    },
    memory: mem && { ...mem, raw: undefined },
    queries: { ...queries, deepTrace: deep },
  };
  env.loadAverageAtEnd = os.loadavg();
  results.goals = {
    loadRatio: {
      goal: `<= ${GOALS.loadRatio}`,
      value: results.load.ratio,
      met: results.load.ratio <= GOALS.loadRatio,
    },
    bytesPerSpan: mem && {
      goal: `< ${GOALS.bytesPerSpan}`,
      value: mem.bytesPerSpan,
      met: mem.bytesPerSpan < GOALS.bytesPerSpan,
    },
    structuralLinear: {
      // Ten times the spans also means data that no longer fits the CPU caches: a plain
      // filter grows by more than 10× too, so the structural query is held to the larger
      // of the fixed bound and twice the filter's growth.
      goal: `ratio <= max(${GOALS.linearRatio}, 2 × filter ratio) (linear ≈ 10, quadratic ≈ 100)`,
      value: queries.structural.ratio,
      met:
        queries.structural.ratio !== undefined &&
        queries.structural.ratio <= Math.max(GOALS.linearRatio, 2 * (queries.filter.ratio ?? 0)),
    },
    deepTraceLinear: {
      goal: `ratio <= ${GOALS.linearRatio}`,
      value: deep.ratio,
      met: deep.ratio !== undefined && deep.ratio <= GOALS.linearRatio,
    },
  };

  // The figures of the last run of each size stay beside the data set for a later look.
  const json = `${JSON.stringify(results, null, 2)}\n`;
  fs.writeFileSync(path.join(OUT_DIR, `results-${args.spans}.json`), json);
  if (args.json) process.stdout.write(json);
  else process.stdout.write(`${report(results)}\n`);
  await require('./receiver').main({ output: args.json ? 'none' : 'table' });
}

function report(r) {
  const d = r.dataset;
  const ok = (met) => (met === undefined ? '' : met ? '✓' : '✗');
  const x = (v) => (v === undefined ? '–' : `${v.toFixed(2)}×`);
  const rows = [['measure', 'spans', 'median', 'min', 'ratio / per span', 'goal', '']];
  rows.push([
    '(a) read + JSON.parse each line',
    M.fmtInt(d.spans),
    M.fmtMs(r.floor.medianMs),
    M.fmtMs(r.floor.minMs),
    '1.00×',
    '',
    '',
  ]);
  rows.push([
    '(b) loadTraces',
    M.fmtInt(r.load.spans),
    M.fmtMs(r.load.medianMs),
    M.fmtMs(r.load.minMs),
    `${x(r.load.ratio)} (a)`,
    `≤ ${GOALS.loadRatio}×`,
    ok(r.goals.loadRatio.met),
  ]);
  if (r.memory) {
    const m = r.memory;
    rows.push([
      '(c) heapUsed + external held',
      M.fmtInt(m.spans),
      `${(m.heapPlusExternalBytes / M.MiB).toFixed(0)} MiB`,
      '',
      `${M.fmtInt(m.bytesPerSpan)} B/span`,
      `< ${GOALS.bytesPerSpan} B`,
      ok(r.goals.bytesPerSpan.met),
    ]);
    rows.push([
      '    RSS growth',
      '',
      `${(m.rssBytes / M.MiB).toFixed(0)} MiB`,
      '',
      `${M.fmtInt(m.rssBytesPerSpan)} B/span`,
      '',
      '',
    ]);
  }
  const q = r.queries;
  const queryRows = (label, entry, goal, met) => {
    rows.push([
      `${label}`,
      M.fmtInt(entry.tenth.spans),
      M.fmtMs(entry.tenth.medianMs),
      M.fmtMs(entry.tenth.minMs),
      `${M.fmtInt(entry.tenth.matches)} matches`,
      '',
      '',
    ]);
    if (entry.all) {
      rows.push([
        '',
        M.fmtInt(entry.all.spans),
        M.fmtMs(entry.all.medianMs),
        M.fmtMs(entry.all.minMs),
        `${M.fmtInt(entry.all.matches)} matches`,
        '',
        '',
      ]);
      rows.push(['', '', '', '', `${x(entry.ratio)} for 10× spans`, goal, met]);
    } else rows.push(['', '', 'skipped', '', 'quadratic', goal, ok(false)]);
  };
  queryRows(
    '(d) structural query',
    q.structural,
    `≤ ${GOALS.linearRatio}× or 2× filter's`,
    ok(r.goals.structuralLinear.met),
  );
  queryRows('    filter query', q.filter, '', '');
  queryRows(
    '    structural, one deep trace',
    q.deepTrace,
    `≤ ${GOALS.linearRatio}×`,
    ok(r.goals.deepTraceLinear.met),
  );
  const head = [
    `tracespec bench: ${M.fmtInt(d.spans)} spans, ${M.fmtInt(d.traces)} traces, ${M.fmtInt(d.lines)} lines, ${(d.bytes / M.MiB).toFixed(0)} MiB (${d.file})`,
    `node ${r.env.node}, ${r.env.cpus} CPUs, load average ${r.env.loadAverageAtStart[0].toFixed(1)} → ${r.env.loadAverageAtEnd[0].toFixed(1)}`,
    `(a)/(b): ${r.reps} runs each, alternately; ratio = median of the per-run ratios`,
    `queries: ${r.queries.structural.all.samples.length}+ runs of each size, alternately, after a warm-up`,
    `structural: ${STRUCTURAL}`,
    `filter:     ${FILTER}`,
    '',
  ];
  return head.join('\n') + M.table(rows, 'lrrrlll');
}

main().catch((error) => {
  log(error?.stack ?? String(error));
  process.exitCode = 1;
});

/**
 * Memory held by loaded traces, measured in a fresh process so that nothing else lives in
 * its heap: `node --expose-gc bench/memory.js FILE` prints one JSON object.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { loadTraces } = require('../dist/src/index.js');
const { collect, hasGc, memory } = require('./measure');

/** The first line of `file`, as a file of its own. */
function firstLine(file) {
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.alloc(4 << 20);
  const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
  fs.closeSync(fd);
  const end = buffer.subarray(0, n).indexOf(10);
  const out = path.join(os.tmpdir(), `tracespec-bench-warmup-${process.pid}.jsonl`);
  fs.writeFileSync(out, buffer.subarray(0, end < 0 ? n : end + 1));
  return out;
}

/** Load, then measure while the traces are still held; only counts leave this function. */
async function loadAndMeasure(file) {
  const traces = await loadTraces(file, { progress: false });
  collect();
  const after = memory();
  let spans = 0;
  for (const trace of traces) spans += trace.spans.length;
  return { spans, traces: traces.length, after };
}

async function main() {
  const file = process.argv[2];
  if (!hasGc) throw new Error('run with node --expose-gc');
  // Load a tiny slice first so that the library's code and lazy module state exist
  // before the baseline; only the data should count.
  const warmup = firstLine(file);
  await loadTraces(warmup, { progress: false });
  fs.rmSync(warmup);
  collect();
  const before = memory();
  // In a function of its own: a variable of this async function that held the traces
  // could stay reachable from its saved registers after being cleared.
  const { spans, traces, after } = await loadAndMeasure(file);
  collect();
  const released = memory();
  process.stdout.write(`${JSON.stringify({ spans, traces, before, after, released })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});

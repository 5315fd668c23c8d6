/** Timing, memory and table helpers for the benchmarks. */

const fs = require('node:fs');
const util = require('node:util');

const hasGc = typeof global.gc === 'function';

/** A full collection, twice (the second frees what finalizers of the first released). */
function collect() {
  if (hasGc) {
    global.gc();
    global.gc();
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Milliseconds `fn` takes (awaited), after a full GC so that earlier garbage is not billed to it. */
async function timeMs(fn) {
  collect();
  const start = process.hrtime.bigint();
  const result = await fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, result };
}

/**
 * The floor for loading: stream the file, split it into lines and `JSON.parse` every line,
 * with nothing else. A loader reading OTLP JSON Lines cannot do less.
 */
async function parseEveryLine(file) {
  let lines = 0;
  let last;
  let rest = '';
  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of stream) {
    // Lines inside a chunk are slices of it (no copy); only a line across chunks is joined.
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      const line = rest === '' ? chunk.slice(start, nl) : rest + chunk.slice(start, nl);
      rest = '';
      start = nl + 1;
      if (line !== '') {
        last = JSON.parse(line);
        lines++;
      }
    }
    if (start < chunk.length) rest += chunk.slice(start);
  }
  if (rest.trim() !== '') {
    last = JSON.parse(rest);
    lines++;
  }
  return { lines, keep: last !== undefined };
}

function memory() {
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss };
}

const MiB = 2 ** 20;

function fmtMs(ms) {
  if (ms === undefined || Number.isNaN(ms)) return '–';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

function fmtInt(n) {
  return n === undefined ? '–' : Math.round(n).toLocaleString('en');
}

/**
 * A plain text table: the first row is the header; `align` says per column whether it
 * is right-aligned ('r') or left-aligned (anything else).
 */
function table(rows, align = '') {
  const widths = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, String(cell).length);
    });
  }
  const lines = rows.map((row) =>
    row
      .map((cell, i) =>
        align[i] === 'r' ? String(cell).padStart(widths[i]) : String(cell).padEnd(widths[i]),
      )
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => '─'.repeat(w)).join('  '));
  return lines.join('\n');
}

/**
 * Command-line options of a benchmark script, with Node's `util.parseArgs`: every key of
 * `defaults` is an option of the same name in kebab case (`queryReps` is `--query-reps`),
 * a positive integer when its default is a number, a flag when it is a boolean.
 * `--help` prints `usage` and exits.
 */
function readOptions(argv, defaults, usage) {
  const flagOf = (key) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const options = { help: { type: 'boolean', short: 'h' } };
  for (const [key, value] of Object.entries(defaults)) {
    options[flagOf(key)] = { type: typeof value === 'boolean' ? 'boolean' : 'string' };
  }
  const { values } = util.parseArgs({ args: argv, options });
  if (values.help) {
    process.stdout.write(`usage: ${usage}\n`);
    process.exit(0);
  }
  const out = { ...defaults };
  for (const key of Object.keys(defaults)) {
    const given = values[flagOf(key)];
    if (given === undefined) continue;
    if (typeof given === 'boolean') out[key] = given;
    else {
      const n = Number(given);
      if (!Number.isInteger(n) || n <= 0) {
        throw new Error(`--${flagOf(key)} needs a positive integer, not ${given}`);
      }
      out[key] = n;
    }
  }
  return out;
}

module.exports = {
  readOptions,
  hasGc,
  collect,
  median,
  timeMs,
  parseEveryLine,
  memory,
  MiB,
  fmtMs,
  fmtInt,
  table,
};

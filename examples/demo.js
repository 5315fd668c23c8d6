// What tracespec does, in ten seconds: `npm run demo` builds the package and runs this.
// It drives the real command line in-process over the hand-written traces in ./traces,
// printing each command before its output, as if typed in a terminal.
const path = require('node:path');
const { run } = require('../dist/src/cli/program.js');

const relative = (to) => path.relative(process.cwd(), to) || '.';
const traces = relative(path.join(__dirname, 'traces'));
const file = (name) => path.join(traces, name);
const specs = relative(path.join(__dirname, '..', 'specs'));
const degraded = relative(path.join(__dirname, 'runs', 'checkout-degraded.jsonl'));

/** Each command with the exit code it must give; a different code fails the demo. */
const steps = [
  {
    note: 'The seed text’s checkout, as a tree: services where they change, errors marked.',
    argv: ['show', file('checkout.json')],
  },
  {
    note: 'An auth check, a cache miss and a database read behind one API call.',
    argv: ['show', file('user-profile.json')],
  },
  {
    note: 'Descendants: every database call made anywhere below the user endpoint.',
    argv: ['query', traces, '--select', '{ name = "GET /api/users/123" } >> { type = database }'],
  },
  {
    note: 'Where do errors start? Every failed span, in every trace.',
    argv: ['query', traces, '--select', '{ status = error }'],
  },
  {
    note: 'N+1 queries: traces with more than two PostgreSQL calls, matches marked.',
    argv: ['show', traces, '--select', '{ span.db.system.name = "postgresql" } | count() > 2'],
  },
  {
    note: 'CI: the YAML specs in specs/ over 60 recorded checkouts. SLOs and checks pass: exit 0.',
    argv: ['run', specs],
  },
  {
    note: 'The same checkout spec over a run with a slow, failing payment gateway: exit 1 gates the deploy.',
    argv: ['run', path.join(specs, 'checkout.yaml'), '--traces', degraded, '--quiet'],
    code: 1,
  },
];

function quote(arg) {
  return /^[\w./:=-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

async function main() {
  const io = {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    isTTY: process.stdout.isTTY === true,
  };
  let failed = 0;
  for (const step of steps) {
    process.stdout.write(`\n# ${step.note}\n$ tracespec ${step.argv.map(quote).join(' ')}\n`);
    const code = await run(step.argv, io);
    const expected = step.code ?? 0;
    if (code !== expected) {
      failed++;
      process.stderr.write(`demo: this command exited ${code}, expected ${expected}\n`);
    } else if (code !== 0) {
      process.stdout.write(`(exit code ${code}, as expected)\n`);
    }
  }
  process.stdout.write(
    '\nNext: `npx tracespec --help`, and README.md for the Jest matchers, the spec format and the examples.\n',
  );
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((error) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.stack : error}\n`);
  process.exitCode = 1;
});

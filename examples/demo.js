// What tracespec does, in ten seconds: `npm run demo` builds the package and runs this.
// It drives the real command line in-process over the hand-written traces in ./traces,
// printing each command before its output, as if typed in a terminal.
const path = require('node:path');
const { run } = require('../dist/src/cli/program.js');

const traces = path.relative(process.cwd(), path.join(__dirname, 'traces')) || '.';
const file = (name) => path.join(traces, name);

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
    if (code !== 0) {
      failed++;
      process.stderr.write(`demo: this command exited ${code}, expected 0\n`);
    }
  }
  process.stdout.write(
    '\nNext: `npx tracespec --help`, and README.md for the Jest matchers and the examples.\n',
  );
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((error) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.stack : error}\n`);
  process.exitCode = 1;
});

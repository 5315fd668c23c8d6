#!/usr/bin/env node
import { run } from './program';

// A reader that stops early (`tracespec show big.json | head`) closes the pipe; that is
// not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  isTTY: process.stdout.isTTY === true,
}).then(
  (code) => {
    // exitCode, not exit(): let stdout drain when it is a pipe.
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tracespec: internal error: ${String(error)}\n`);
    process.exitCode = 2;
  },
);

import type { Command } from 'commander';
import { plural } from '../../report/text';
import { loadSpecs } from '../../spec';
import { EXIT } from '../errors';
import type { CliIO } from '../io';

export function registerValidate(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command('validate')
    .showHelpAfterError('(see tracespec validate --help)')
    .summary('check spec files without running them')
    .description(
      'Check spec files against the schema, and their selectors, budgets and trees, without ' +
        'reading any trace. Exits 0 when every spec is valid, 2 otherwise, with every problem ' +
        'listed as file:line:column.',
    )
    .argument('<specs...>', 'spec files, or folders of them (*.yaml, *.yml)')
    .addHelpText('after', '\nExamples:\n  $ tracespec validate specs/\n')
    .action(async (files: string[]) => {
      const specs = await loadSpecs(files, { env: io.env });
      for (const spec of specs) {
        io.stdout.write(
          `${spec.file}: valid (${plural(spec.slos.length, 'SLO')}, ${plural(spec.checks.length, 'check')})\n`,
        );
      }
      done(EXIT.ok);
    });
}

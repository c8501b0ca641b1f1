// Entry point of the `sheets-sync` command.

import { parseCommandLine, USAGE } from './args';
import { fieldsCommand } from './fields';
import { initWorkbook } from './init';
import { runCommand } from './run';
import { simulateCommand } from './simulate';

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.message}\n\n${USAGE}\n`);
    return 2;
  }
  const args = parsed.args;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  switch (args.command) {
    case 'help':
      say(USAGE);
      return 0;
    case 'init':
      return initWorkbook(args.workbook, say);
    case 'simulate':
      return simulateCommand(args, say);
    case 'fields':
      return fieldsCommand(args, { env: process.env, stdout: say, stderr: (line) => process.stderr.write(`${line}\n`) });
    case 'run':
      return runCommand(args, {
        env: process.env,
        stdout: (t) => process.stdout.write(t),
        stdoutIsTerminal: Boolean(process.stdout.isTTY),
      });
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`sheets-sync stopped unexpectedly: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);

/**
 * `lilt-conformance lint-spec` (npm run lint:spec): lints the provider's OpenAPI document. Exit 0 when every finding is
 * acknowledged in the baseline, 1 when there is a new one, 2 when the document or baseline cannot be read.
 */
import * as path from 'node:path';
import { Command } from 'commander';
import { parseCommand } from './parse-command';
import { DEFAULT_CONTRACT_FILE, loadContract } from '../contract/load';
import { addOptions, settledValueOf } from '../config/options';
import { parseSelector } from '../contract/selector';
import { ExitCode, runMain } from '../errors';
import { loadBaseline } from '../lint/baseline';
import { formatLintReport, lintContract } from '../lint/lint';

export async function main(argv: readonly string[]): Promise<number> {
  const program = addOptions(
    new Command('lilt-conformance lint-spec').description(
      'Lint the document: examples against their schemas, fields that contradict themselves, the contradictions ' +
        "BEHAVIOUR.md lists, and (as warnings) defects outside the tested operation.",
    ),
    'lint-spec',
  );
  const stop = parseCommand(program, argv);
  if (stop !== undefined) return stop;
  const given = program.opts();
  const options: { contract: string; operation: string; baseline: string | false } = {
    contract: settledValueOf('contract', given, process.env),
    operation: settledValueOf('operation', given),
    // --no-baseline sets it to false. The bundled baseline acknowledges findings of the bundled document only: another
    // document is linted against nothing unless --baseline names a file for it.
    baseline: given['baseline'] === false ? false : settledValueOf('lintBaseline', given),
  };
  if (given['baseline'] === undefined && path.resolve(options.contract) !== DEFAULT_CONTRACT_FILE) options.baseline = false;
  const contract = await loadContract(options.contract, { operation: parseSelector(options.operation) });
  const baseline = options.baseline === false ? [] : loadBaseline(options.baseline);
  const report = lintContract(contract, baseline);
  const baselineName = options.baseline === false ? '(no baseline)' : path.relative(process.cwd(), options.baseline);
  process.stdout.write(`${formatLintReport(report, baselineName)}\n`);
  if (options.baseline === false && given['baseline'] === undefined) {
    process.stdout.write('note    the bundled baseline is for the bundled document; give --baseline <file> to acknowledge findings of this one\n');
  }
  return report.newCount > 0 ? ExitCode.findings : ExitCode.ok;
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));

/**
 * `lilt-conformance pact check-spec` (npm run pact:check-spec): compares the pact files with the OpenAPI document
 * (@pactflow/openapi-pact-comparator). Exit 0 when no interaction contradicts the document (warnings allowed), 1 when
 * one does, 2 on bad input.
 */
import * as path from 'node:path';
import { Command } from 'commander';
import { parseCommand } from './parse-command';
import { loadContract } from '../contract/load';
import { addOptions, settledValueOf, valueOf } from '../config/options';
import { listPactFiles } from '../contract/pacts';
import { parseSelector } from '../contract/selector';
import { ExitCode, runMain } from '../errors';
import { checkPactsAgainstContract, formatSpecCheckReport } from '../pact/check-spec';

export async function main(argv: readonly string[]): Promise<number> {
  const program = addOptions(
    new Command('lilt-conformance pact check-spec').description(
      'Check that every pact interaction is allowed by the OpenAPI document (requests, statuses, bodies).',
    ),
    'pact check-spec',
  );
  const stop = parseCommand(program, argv);
  if (stop !== undefined) return stop;
  const given = program.opts();
  const flags = {
    contract: settledValueOf('contract', given, process.env),
    operation: settledValueOf('operation', given),
    pact: valueOf('pact', given),
    pactDir: settledValueOf('pactDir', given),
  };
  const contract = await loadContract(flags.contract, { operation: parseSelector(flags.operation) });
  const files = flags.pact?.map((file) => path.resolve(file)) ?? listPactFiles(path.resolve(flags.pactDir));
  const report = await checkPactsAgainstContract(contract, files);
  process.stdout.write(`${formatSpecCheckReport(report, contract.file)}\n`);
  return report.errorCount > 0 ? ExitCode.findings : ExitCode.ok;
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));

/**
 * `lilt-conformance pact check-spec` (npm run pact:check-spec): compares the pact files with the OpenAPI document
 * (@pactflow/openapi-pact-comparator). Exit 0 when no interaction contradicts the document (warnings allowed), 1 when
 * one does, 2 on bad input.
 */
import * as path from 'node:path';
import { Command } from 'commander';
import { parseCommand } from './parse-command';
import { DEFAULT_CONTRACT_FILE, loadContract } from '../contract/load';
import { listPactFiles } from '../contract/pacts';
import { parseSelector } from '../contract/selector';
import { ExitCode, runMain } from '../errors';
import { checkPactsAgainstContract, formatSpecCheckReport } from '../pact/check-spec';
import { PACT_DIR } from '../pact/config';

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('lilt-conformance pact check-spec')
    .description('Check that every pact interaction is allowed by the OpenAPI document (requests, statuses, bodies).')
    .option('--contract <file or URL>', 'the OpenAPI 3.0/3.1 or Swagger 2.0 document (env LILT_CONTRACT)', process.env.LILT_CONTRACT || DEFAULT_CONTRACT_FILE)
    .option('--operation <operation>', 'the tested operation: an operationId, or "METHOD /path"', 'updateJob')
    .option('--pact <file...>', 'pact files (default: every *.json in --pact-dir)')
    .option('--pact-dir <dir>', 'directory of pact files', PACT_DIR);
  const stop = parseCommand(program, argv);
  if (stop !== undefined) return stop;
  const flags = program.opts<{ contract: string; operation: string; pact?: string[]; pactDir: string }>();
  const contract = await loadContract(flags.contract, { operation: parseSelector(flags.operation) });
  const files = flags.pact?.map((file) => path.resolve(file)) ?? listPactFiles(path.resolve(flags.pactDir));
  const report = await checkPactsAgainstContract(contract, files);
  process.stdout.write(`${formatSpecCheckReport(report, contract.file)}\n`);
  return report.errorCount > 0 ? ExitCode.findings : ExitCode.ok;
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));

/**
 * `lilt-conformance contract diff <old> <new>`: what changed in the tested operation between two versions of the
 * provider's document (files or URLs; OpenAPI 3.0, 3.1 or Swagger 2.0), breaking changes first. With `--pacts`, the
 * consumer's pact interactions the new document breaks, each with why. Exit 1 when anything breaks a client (or a
 * pact interaction; a new document without the operation is one such change), 0 otherwise, 2 for a usage error (a bad
 * flag, a document that cannot be read, an old document without the operation).
 */
import * as path from 'node:path';
import { Command } from 'commander';
import { parseCommand } from './parse-command';
import { diffModels, diffRemoved, formatDiff, type ContractDiff } from '../contract/diff';
import { loadContract } from '../contract/load';
import { operationModel } from '../contract/model';
import { formatBroken, listPactFiles, pactImpact, readInteractions, type PactImpact } from '../contract/pacts';
import { OperationNotFound, parseSelector } from '../contract/selector';
import { ExitCode, runMain } from '../errors';
import { PACT_DIR } from '../pact/config';
import { addOptions, settledValueOf, valueOf } from '../config/options';

interface Flags {
  readonly operation: string;
  readonly pacts: string | true | undefined;
  readonly json: boolean;
}

function impactJson(impact: PactImpact) {
  return {
    checked: impact.checked,
    broken: impact.broken.map(({ interaction, reasons }) => ({
      file: path.relative(process.cwd(), interaction.file) || interaction.file,
      description: interaction.description,
      request: `${interaction.method} ${interaction.path}`,
      status: interaction.status,
      reasons,
    })),
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('lilt-conformance contract diff')
    .description(
      'What changed in the tested operation between two versions of the document, breaking changes first. ' +
        'Exit 1 when a change breaks a client, 0 when none does.',
    )
    .argument('<old>', 'the older document: a file or an http(s) URL (OpenAPI 3.0, 3.1 or Swagger 2.0)')
    .argument('<new>', 'the newer document');
  addOptions(program, 'contract diff');
  const stop = parseCommand(program, argv);
  if (stop !== undefined) return stop;
  const given = program.opts();
  const flags: Flags = { operation: settledValueOf('operation', given), pacts: valueOf('pacts', given), json: settledValueOf('json', given) };
  const [oldSource, newSource] = program.args as [string, string];
  const operation = parseSelector(flags.operation);

  const oldModel = operationModel(await loadContract(oldSource, { operation }));
  let diff: ContractDiff;
  try {
    diff = diffModels(oldModel, operationModel(await loadContract(newSource, { operation })));
  } catch (error) {
    // The old document has the operation and the new one does not: the one change that breaks every client.
    if (!(error instanceof OperationNotFound)) throw error;
    diff = diffRemoved(oldModel, { source: newSource, format: error.format });
  }

  let impact: PactImpact | undefined;
  if (flags.pacts !== undefined) {
    const dir = flags.pacts === true ? PACT_DIR : path.resolve(flags.pacts);
    impact = pactImpact(diff, oldModel, listPactFiles(dir).flatMap(readInteractions));
  }

  if (flags.json === true) {
    process.stdout.write(`${JSON.stringify({ ...diff, ...(impact === undefined ? {} : { pacts: impactJson(impact) }) }, null, 2)}\n`);
  } else {
    const text = [formatDiff(diff)];
    if (impact !== undefined) text.push('', formatBroken('Pact interactions the new document breaks', impact.broken, impact.checked));
    process.stdout.write(`${text.join('\n')}\n`);
  }
  return diff.breakingCount > 0 || (impact?.broken.length ?? 0) > 0 ? ExitCode.findings : ExitCode.ok;
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));

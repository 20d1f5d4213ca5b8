/**
 * Pact against the contract: every interaction of a pact is compared with the OpenAPI document by PactFlow's
 * maintained comparator (@pactflow/openapi-pact-comparator), so that a consumer expectation the provider's document
 * does not allow fails before any provider sees it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Comparator, type ComparatorResult, type PactDocument } from '@pactflow/openapi-pact-comparator';
import type { Contract } from '../contract/load';
import { UserError } from '../errors';

export interface SpecFinding {
  readonly pactFile: string;
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly interaction: string;
  readonly message: string;
  /** Where in the pact, e.g. `[root].interactions[3].response.body.isProcessing`. */
  readonly location: string;
}

export interface SpecCheckReport {
  readonly findings: readonly SpecFinding[];
  readonly errorCount: number;
  readonly warningCount: number;
  readonly interactionCount: number;
}

function readPact(file: string): PactDocument {
  const shown = path.relative(process.cwd(), file) || file;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`${shown}: cannot read the pact: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { interactions?: unknown }).interactions)) {
    throw new UserError(`${shown}: not a pact file (no interactions array)`);
  }
  return parsed as PactDocument;
}

/** Compares each pact file with the contract. */
export async function checkPactsAgainstContract(contract: Contract, pactFiles: readonly string[]): Promise<SpecCheckReport> {
  // The dereferenced document: the comparator does not follow a $ref'd response (the 401's) to its content types.
  const comparator = new Comparator(structuredClone(contract.document));
  const findings: SpecFinding[] = [];
  let interactionCount = 0;
  for (const file of pactFiles) {
    const pact = readPact(file);
    interactionCount += pact.interactions.length;
    for await (const result of comparator.compare(pact)) findings.push(toFinding(file, result));
  }
  return {
    findings,
    errorCount: findings.filter((f) => f.severity === 'error').length,
    warningCount: findings.filter((f) => f.severity === 'warning').length,
    interactionCount,
  };
}

function toFinding(pactFile: string, result: ComparatorResult): SpecFinding {
  return {
    pactFile,
    severity: result.type,
    code: result.code,
    interaction: result.mockDetails?.interactionDescription ?? '(pact)',
    message: result.message,
    location: result.mockDetails?.location ?? '',
  };
}

export function formatSpecCheckReport(report: SpecCheckReport, contractFile: string): string {
  const lines = report.findings.map((f) => {
    const file = path.relative(process.cwd(), f.pactFile) || f.pactFile;
    return `${f.severity} ${f.code} ${file}: "${f.interaction}": ${f.message} (at ${f.location})`;
  });
  const contract = path.relative(process.cwd(), contractFile) || contractFile;
  lines.push(
    `${report.interactionCount} interactions checked against ${contract}: ` +
      `${report.errorCount} error(s), ${report.warningCount} warning(s)`,
  );
  return lines.join('\n');
}

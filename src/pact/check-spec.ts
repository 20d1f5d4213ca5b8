/**
 * Pact against the contract: every interaction of a pact is compared with the OpenAPI document by PactFlow's
 * maintained comparator (@pactflow/openapi-pact-comparator), so that a consumer expectation the provider's document
 * does not allow fails before any provider sees it. The comparator lets a request body field the document does not
 * have pass (an open schema allows it); an interaction of the tested operation that sends one relies on a field the
 * provider does not document (a newer LILT document has `dueDate`, not `due`), so that is an error here too, read off
 * the operation model.
 */
import * as path from 'node:path';
import { Comparator, type ComparatorResult, type PactDocument } from '@pactflow/openapi-pact-comparator';
import { shownSource, type Contract } from '../contract/load';
import { operationModel } from '../contract/model';
import { readInteractions, readPactDocument, undocumentedRequestFields } from '../contract/pacts';

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
  return readPactDocument(file) as PactDocument;
}

/** Compares each pact file with the contract. */
export async function checkPactsAgainstContract(contract: Contract, pactFiles: readonly string[]): Promise<SpecCheckReport> {
  // The dereferenced document: the comparator does not follow a $ref'd response (the 401's) to its content types.
  const comparator = new Comparator(structuredClone(contract.document));
  const findings: SpecFinding[] = [];
  let interactionCount = 0;
  const model = operationModel(contract);
  for (const file of pactFiles) {
    const pact = readPact(file);
    interactionCount += pact.interactions.length;
    for await (const result of comparator.compare(pact)) findings.push(toFinding(file, result));
    for (const { interaction, reasons } of undocumentedRequestFields(model, readInteractions(file))) {
      for (const { reason } of reasons) {
        findings.push({
          pactFile: file,
          severity: 'error',
          code: 'request.body.field.undocumented',
          interaction: interaction.description,
          message: reason,
          location: `[root].interactions[${interaction.index}].request.body`,
        });
      }
    }
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
  const contract = shownSource(contractFile);
  lines.push(
    `${report.interactionCount} interactions checked against ${contract}: ` +
      `${report.errorCount} error(s), ${report.warningCount} warning(s)`,
  );
  return lines.join('\n');
}

/**
 * `lilt-conformance contract diff` as a user runs it: the text and JSON reports, --pacts, and the exit codes (1 when
 * a change breaks a client, 0 when none does, 2 for a usage error, one line and no stack trace).
 */
import { contractCopy } from '../helpers/contract-copy';
import { runCliSync } from '../helpers/cli';

const NEWER = 'tests/contract/documents/jobs-2025.openapi.yaml';
const BUNDLED = 'contracts/lilt-update-job.openapi.yaml';

function diff(...args: string[]) {
  return runCliSync(['contract', 'diff', ...args]);
}

describe('lilt-conformance contract diff', () => {
  it('reports due removed, dueDate added as an integer, domains removed and GET added, breaking first; exit 1', () => {
    const { code, stdout, stderr } = diff(BUNDLED, NEWER);
    expect(stderr).toBe('');
    const breaking = stdout.indexOf('Breaking (3):');
    const additions = stdout.indexOf('Additions (3):');
    expect(breaking).toBeGreaterThan(0);
    expect(additions).toBeGreaterThan(breaking);
    expect(stdout.slice(breaking, additions)).toMatch(/request-property-removed +request field `due` \(date-time string\) removed/);
    expect(stdout.slice(breaking, additions)).toMatch(/response-property-removed +Job property `domains` \(array of object\) removed/);
    expect(stdout.slice(additions)).toMatch(/request-property-added +request field `dueDate` added: integer/);
    expect(stdout.slice(additions)).toMatch(/read-added +GET \/v2\/jobs\/\{jobId\} added \(getJob\)/);
    expect(code).toBe(1);
  });

  it('--json --pacts: the changes and the pact interaction the new document breaks', () => {
    const { code, stdout } = diff(BUNDLED, NEWER, '--json', '--pacts', 'pacts');
    const report = JSON.parse(stdout) as {
      breakingCount: number;
      changes: { id: string; level: string; field?: string }[];
      pacts: { checked: number; broken: { description: string; reasons: { change: string; reason: string }[] }[] };
    };
    expect(report.breakingCount).toBe(3);
    expect(report.changes[0]).toMatchObject({ id: 'request-property-removed', level: 'breaking', field: 'due' });
    expect(report.pacts.checked).toBe(8);
    expect(report.pacts.broken).toEqual([
      { description: 'a request to reschedule a job', file: 'pacts/lilt-conformance-client-lilt-api.json', request: 'PUT /v2/jobs/241', status: 200, reasons: [{ change: 'request-property-removed', reason: 'sends `due`, which the new document removed' }] },
    ]);
    expect(code).toBe(1);
  });

  it('a document that only adds a field: exit 0', () => {
    const added = contractCopy((t) =>
      t.replace('                processingErrorMsg:\n', '                priority:\n                  type: integer\n                processingErrorMsg:\n'),
    );
    const { code, stdout } = diff(BUNDLED, added, '--pacts');
    expect(stdout).toMatch(/request-property-added +request field `priority` added: integer/);
    expect(stdout).toMatch(/0 breaking changes, 1 addition, 0 other changes: nothing breaks a client of the old document/);
    expect(stdout).toMatch(/Pact interactions the new document breaks \(0 of 8\):\n {2}none/);
    expect(code).toBe(0);
  });

  it('a new document without the operation: one breaking change, every pact interaction broken; exit 1', () => {
    const without = contractCopy((t) => t.replace('operationId: updateJob', 'operationId: changeJob'));
    const { code, stdout } = diff(BUNDLED, without, '--pacts');
    expect(stdout).toMatch(/^updateJob: PUT \/v2\/jobs\/\{jobId\} -> \(none\)$/m);
    expect(stdout).toMatch(/^ {2}operation-removed {2}updateJob \(PUT \/v2\/jobs\/\{jobId\}\) is not in the new document$/m);
    expect(stdout).toMatch(/Pact interactions the new document breaks \(8 of 8\)/);
    expect(code).toBe(1);
  });

  it.each([
    [[BUNDLED], /^error: missing required argument 'new'$/],
    [[BUNDLED, '/nonexistent/new.yaml'], /^error: .*new\.yaml: contract file not found/],
    [[BUNDLED, NEWER, '--operation', 'deleteJob'], /^error: contracts\/lilt-update-job\.openapi\.yaml: operation 'deleteJob' is not in the document/],
    [[BUNDLED, NEWER, '--pacts', '/nonexistent/pacts'], /^error: .*no such pact directory/],
  ])('%j: one line on stderr, exit 2', (args, pattern) => {
    const { code, stderr } = diff(...args);
    expect(stderr.trim()).toMatch(pattern);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(2);
  });
});

/** The lint command as a user runs it: exit codes, one-line errors, no stack traces. */
import * as fs from 'node:fs';
import { DEFAULT_BASELINE_FILE } from '../../src/lint/baseline';
import { contractCopy, writeTemp } from '../helpers/contract-copy';
import { runCliSync } from '../helpers/cli';

function lintSpec(...args: string[]) {
  return runCliSync(['lint-spec', ...args]);
}

describe('npm run lint:spec', () => {
  it('names the ExportError example as acknowledged and exits 0', () => {
    const { code, stdout } = lintSpec();
    expect(stdout).toMatch(/^error {3}example-matches-schema {2}JobUpdateParameters\.isProcessing: example "ExportError"/m);
    expect(stdout).toMatch(/\[acknowledged: upstream defect/);
    expect(stdout).toMatch(/5 findings \(1 error, 4 warnings\): 5 acknowledged in contracts\/lint-baseline\.json, 0 new/);
    expect(code).toBe(0);
  });

  it('exits 1 when the ExportError entry is removed from the baseline', () => {
    const baseline = JSON.parse(fs.readFileSync(DEFAULT_BASELINE_FILE, 'utf8')) as { acknowledged: { rule: string }[] };
    baseline.acknowledged = baseline.acknowledged.filter((e) => e.rule !== 'example-matches-schema');
    const { code, stdout } = lintSpec('--baseline', writeTemp('baseline.json', JSON.stringify(baseline)));
    expect(stdout).toMatch(/example "ExportError".*\n.*\[NEW\]/);
    expect(code).toBe(1);
  });

  it('exits 1 on a copy of the document with a new bad example', () => {
    const { code, stdout } = lintSpec('--contract', contractCopy((t) => t.replace('example: My New Job', 'example: 7')));
    expect(stdout).toMatch(/Job\.name: example 7 is not valid/);
    expect(code).toBe(1);
  });

  it('lints another document against no baseline unless --baseline names one (the bundled one is for the bundled document)', () => {
    const { stdout } = lintSpec('--contract', 'tests/contract/documents/jobs-2025.openapi.yaml');
    expect(stdout).not.toMatch(/no longer found/);
    expect(stdout).toMatch(/: 0 acknowledged in \(no baseline\), \d+ new/);
    expect(stdout).toMatch(/^note {4}the bundled baseline is for the bundled document; give --baseline <file>/m);
    const named = lintSpec('--contract', 'tests/contract/documents/jobs-2025.openapi.yaml', '--baseline', DEFAULT_BASELINE_FILE);
    expect(named.stdout).toMatch(/no longer found: remove the entry/);
  });

  it('reads a Swagger 2.0 document as it is: dueDate contradicts itself (error), defects in other operations are warnings', () => {
    const { code, stdout } = lintSpec('--contract', 'tests/contract/documents/jobs.swagger.yaml', '--no-baseline');
    expect(stdout).toMatch(
      /^error {3}self-contradicting-field {2}JobUpdateParameters\.dueDate: contradicts itself: type integer, but described as "An ISO string date\."; type integer, but its example "2021-10-05T14:48:00\.000Z" is a string\n {8}at #\/paths\/~1jobs~1\{jobId\}\/put\/parameters\/1\/schema\/properties\/dueDate {2}\[NEW\]$/m,
    );
    expect(stdout).toMatch(/^warning document-defect {2}PUT \/documents: not valid Swagger 2\.0: must be object$/m);
    expect(stdout).toMatch(/^warning document-defect {2}POST \/memories\/import: not valid Swagger 2\.0: /m);
    expect(stdout).toMatch(/^warning document-defect {2}GET \/memories\/\{memoryId\} \(responses\.200\.schema\): \$ref '#\/definitions\/Memory' points at nothing in the document$/m);
    expect(stdout).not.toMatch(/^error .*document-defect/m);
    expect(code).toBe(1);
  });

  it.each([
    [['--contract', '/nonexistent/x.yaml'], /^error: .*x\.yaml: contract file not found/],
    [['--contract', 'README.md'], /^error: README\.md: not a valid OpenAPI document/],
    [['--baseline', '/nonexistent/b.json'], /^error: .*b\.json: cannot read the lint baseline/],
    [['--frobnicate'], /unknown option '--frobnicate'/],
    [['--operation', 'deleteJob'], /^error: contracts\/lilt-update-job\.openapi\.yaml: operation 'deleteJob' is not in the document/],
  ])('%j: one line on stderr, exit 2, no stack trace', (args, message) => {
    const { code, stderr } = lintSpec(...args);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(2);
  });
});

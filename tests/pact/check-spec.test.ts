/**
 * pact:check-spec: the committed pact is allowed by the OpenAPI document; a pact that expects isProcessing as a
 * string in the response (the document says integer) is not.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadContract } from '../../src/contract/load';
import { checkPactsAgainstContract } from '../../src/pact/check-spec';
import { PACT_DIR, pactFileName, pactNames } from '../../src/pact/config';
import { runCli } from './cli';
import { tempDir } from '../helpers/temp';

const committed = path.join(PACT_DIR, pactFileName(pactNames({})));
let tmp: string;
beforeAll(() => {
  tmp = tempDir('lilt-pact-spec-');
});

interface PactJson {
  interactions: Array<{ description: string; response: { status: number; body?: { content?: Record<string, unknown> } } }>;
}

/** The committed pact with every 200 response expecting isProcessing as a string. */
function wrongPact(): string {
  const pact = JSON.parse(fs.readFileSync(committed, 'utf8')) as PactJson;
  let changed = 0;
  for (const interaction of pact.interactions) {
    const content = interaction.response.body?.content;
    if (interaction.response.status === 200 && content && typeof content['isProcessing'] === 'number') {
      content['isProcessing'] = String(content['isProcessing']);
      changed += 1;
    }
  }
  expect(changed).toBeGreaterThan(0);
  const file = path.join(tmp, 'wrong-isProcessing.json');
  fs.writeFileSync(file, JSON.stringify(pact));
  return file;
}

describe('pact against the OpenAPI document', () => {
  it('finds no error in the committed pact (statuses under `default` are warnings)', async () => {
    const report = await checkPactsAgainstContract(await loadContract(), [committed]);
    expect(report.interactionCount).toBe(8);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.findings.map((f) => f.code)).toEqual(['response.status.default', 'response.status.default']);
  });

  it('fails a pact that expects isProcessing as a string in the response', async () => {
    const report = await checkPactsAgainstContract(await loadContract(), [wrongPact()]);
    const errors = report.findings.filter((f) => f.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error.code).toBe('response.body.incompatible');
      expect(error.location).toMatch(/\.response\.body\.isProcessing$/);
      expect(error.message).toContain('must be integer');
    }
  });

  it('exits 1 from the command line for the wrong pact and 0 for the committed one', async () => {
    const wrong = await runCli('pact-check-spec', ['--pact', wrongPact()], {});
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toMatch(/^error response\.body\.incompatible .*"a request to set isProcessing".*must be integer/m);
    const right = await runCli('pact-check-spec', [], {});
    expect(right.status).toBe(0);
    expect(right.stdout).toContain('8 interactions checked');
  });

  it('fails the committed pact against a newer document, naming the interaction that sends due', async () => {
    const newer = path.join(__dirname, '..', 'contract', 'documents', 'jobs-2025.openapi.yaml');
    const report = await checkPactsAgainstContract(await loadContract(newer), [committed]);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([
      expect.objectContaining({
        code: 'request.body.field.undocumented',
        interaction: 'a request to reschedule a job',
        location: '[root].interactions[2].request.body',
        message: expect.stringMatching(/^sends `due`, which the document's updateJob request body does not have/),
      }),
    ]);
    const run = await runCli('pact-check-spec', ['--contract', newer], {});
    expect(run.stdout).toMatch(/^error request\.body\.field\.undocumented .*"a request to reschedule a job": sends `due`/m);
    expect(run.status).toBe(1);
  });

  it('says what to do when there are no pact files', async () => {
    const run = await runCli('pact-check-spec', ['--pact-dir', tmp + '/none'], {});
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^error: .*no such pact directory \(run the consumer tests first: npm run pact:consumer\)\n$/);
  });
});

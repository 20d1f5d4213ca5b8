/**
 * Consumer contract: what a client of PUT /v2/jobs/{jobId} relies on, recorded as a PactV4 pact by driving the real
 * client (src/client) against the Pact mock server.
 *
 * The pact is written to a fresh temp dir and compared with the committed `pacts/<consumer>-<provider>.json`, so that
 * `npm test` never rewrites a committed file that other tests (verification, check-spec) read at the same time, and a
 * change to these expectations fails here until the committed pact is regenerated and reviewed:
 * `npm run pact:consumer` (which sets PACT_OUTPUT_DIR=pacts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MatchersV3, PactV4, SpecificationVersion } from '@pact-foundation/pact';
import {
  NotFoundError,
  ApiError,
  UnauthorizedError,
  basicAuth,
  noAuth,
  updateJob,
  type JobUpdateParameters,
} from '../../src/client';
import { PACT_DIR, pactFileName, pactNames } from '../../src/pact/config';
import {
  EXAMPLE_JOB_ID,
  EXAMPLE_MISSING_JOB_ID,
  JOB_PATH_EXPRESSION,
  ProviderStates,
} from '../../src/pact/states';
import {
  BASIC_AUTHORIZATION,
  DUE_DATETIME,
  ERROR_BODY,
  JSON_CONTENT_TYPE,
  TEXT_CONTENT_TYPE,
  jobBody,
  sameInstantAs,
} from './matchers';
import { tempDir } from '../helpers/temp';

const { fromProviderState, string, integer, regex } = MatchersV3;

// Only ever sent to the Pact mock server; the pact records the regex's example, never this.
const CONSUMER_TEST_KEY = 'consumer-side-test-key';
const names = pactNames();
const outputDir = process.env['PACT_OUTPUT_DIR']
  ? path.resolve(process.env['PACT_OUTPUT_DIR'])
  : tempDir('lilt-pact-consumer-');
const writtenFile = path.join(outputDir, pactFileName(names));
const committedFile = path.join(PACT_DIR, pactFileName(names));

// pact-js merges into an existing file; start from nothing so removed interactions disappear.
fs.rmSync(writtenFile, { force: true });

const pact = new PactV4({
  consumer: names.consumer,
  provider: names.provider,
  dir: outputDir,
  spec: SpecificationVersion.SPECIFICATION_VERSION_V4,
  logLevel: 'warn',
});

/** The job path, filled at verification time with the id the provider state hands back. */
const jobPath = (exampleId: number) => fromProviderState(JOB_PATH_EXPRESSION, `/v2/jobs/${exampleId}`);

function authorisedJsonRequest(body: unknown) {
  return (builder: { headers(h: object): unknown; jsonBody(b: unknown): unknown }) => {
    builder.headers({ Authorization: BASIC_AUTHORIZATION, 'Content-Type': 'application/json' });
    builder.jsonBody(body);
  };
}

describe(`consumer pact ${names.consumer} -> ${names.provider}`, () => {
  it('renames a job', async () => {
    await pact
      .addInteraction()
      .given(ProviderStates.jobExists)
      .uponReceiving('a request to rename a job')
      .withRequest('PUT', jobPath(EXAMPLE_JOB_ID), authorisedJsonRequest({ name: string('Renamed by the consumer') }))
      .willRespondWith(200, (builder) => {
        builder.headers({ 'Content-Type': JSON_CONTENT_TYPE });
        builder.jsonBody(jobBody({ name: string('Renamed by the consumer') }));
      })
      .executeTest(async (mock) => {
        const job = await updateJob(EXAMPLE_JOB_ID, { name: 'Renamed by the consumer' }, client(mock.url));
        expect(job).toMatchObject({ id: EXAMPLE_JOB_ID, name: 'Renamed by the consumer' });
      });
  });

  it('reschedules a job', async () => {
    await pact
      .addInteraction()
      .given(ProviderStates.jobExists)
      .uponReceiving('a request to reschedule a job')
      .withRequest('PUT', jobPath(EXAMPLE_JOB_ID), authorisedJsonRequest({ due: DUE_DATETIME('2022-05-05T10:56:44.985Z') }))
      .willRespondWith(200, (builder) => {
        builder.headers({ 'Content-Type': JSON_CONTENT_TYPE });
        builder.jsonBody(jobBody({ due: DUE_DATETIME('2022-05-05T10:56:44.985Z') }));
      })
      .executeTest(async (mock) => {
        const job = await updateJob(EXAMPLE_JOB_ID, { due: '2022-05-05T10:56:44.985Z' }, client(mock.url));
        expect(job.due).toBe('2022-05-05T10:56:44.985Z');
      });
  });

  it('sets isProcessing: a string in, an integer out', async () => {
    await pact
      .addInteraction()
      .given(ProviderStates.jobExists)
      .uponReceiving('a request to set isProcessing')
      .withRequest('PUT', jobPath(EXAMPLE_JOB_ID), authorisedJsonRequest({ isProcessing: regex(/^(0|1|-2)$/, '1') }))
      .willRespondWith(200, (builder) => {
        builder.headers({ 'Content-Type': JSON_CONTENT_TYPE });
        builder.jsonBody(jobBody({ isProcessing: integer(1) }));
      })
      .executeTest(async (mock) => {
        const job = await updateJob(EXAMPLE_JOB_ID, { isProcessing: '1' }, client(mock.url));
        expect(job.isProcessing).toBe(1);
      });
  });

  it('renames a job without touching its due date (partial update)', async () => {
    const due = '2031-05-05T10:56:44.985Z';
    await pact
      .addInteraction()
      .given(ProviderStates.jobExistsWithDue, { due })
      .uponReceiving('a partial update that sends only the name')
      .withRequest('PUT', jobPath(EXAMPLE_JOB_ID), authorisedJsonRequest({ name: string('Only the name changes') }))
      .willRespondWith(200, (builder) => {
        builder.headers({ 'Content-Type': JSON_CONTENT_TYPE });
        // The point of this interaction is that due keeps the state's value, so it is matched as that instant (in
        // any of the spellings the contract allows), not by format alone.
        builder.jsonBody(jobBody({ name: string('Only the name changes'), due: sameInstantAs(due) }));
      })
      .executeTest(async (mock) => {
        const job = await updateJob(EXAMPLE_JOB_ID, { name: 'Only the name changes' }, client(mock.url));
        expect(job.due).toBe(due);
      });
  });

  it('sends no body and gets the job back unchanged', async () => {
    await pact
      .addInteraction()
      .given(ProviderStates.jobExists)
      .uponReceiving('an update with an empty body')
      .withRequest('PUT', jobPath(EXAMPLE_JOB_ID), (builder) => {
        builder.headers({ Authorization: BASIC_AUTHORIZATION });
      })
      .willRespondWith(200, (builder) => {
        builder.headers({ 'Content-Type': JSON_CONTENT_TYPE });
        builder.jsonBody(jobBody({}));
      })
      .executeTest(async (mock) => {
        const job = await updateJob(EXAMPLE_JOB_ID, undefined, client(mock.url));
        expect(job.id).toBe(EXAMPLE_JOB_ID);
      });
  });

  it('is refused with 401 and a text body without credentials', async () => {
    await pact
      .addInteraction()
      .given(ProviderStates.jobExists)
      .uponReceiving('an update without credentials')
      .withRequest('PUT', jobPath(EXAMPLE_JOB_ID), (builder) => {
        builder.headers({ 'Content-Type': 'application/json' });
        builder.jsonBody({ name: string('Not allowed') });
      })
      .willRespondWith(401, (builder) => {
        builder.headers({ 'Content-Type': TEXT_CONTENT_TYPE });
        builder.body('text/plain', Buffer.from('Unauthorized'));
        builder.matchingRules({ body: { path: '$', rules: [string('Unauthorized')] } });
      })
      .executeTest(async (mock) => {
        const outcome = updateJob(EXAMPLE_JOB_ID, { name: 'Not allowed' }, { baseUrl: mock.url, auth: noAuth });
        await expect(outcome).rejects.toBeInstanceOf(UnauthorizedError);
        await expect(outcome).rejects.toMatchObject({ status: 401, body: 'Unauthorized' });
      });
  });

  it('gets 404 with an Error body for a job that does not exist', async () => {
    await pact
      .addInteraction()
      .given(ProviderStates.jobMissing)
      .uponReceiving('an update of a job that does not exist')
      .withRequest('PUT', jobPath(EXAMPLE_MISSING_JOB_ID), authorisedJsonRequest({ name: string('Nobody home') }))
      .willRespondWith(404, (builder) => {
        builder.headers({ 'Content-Type': JSON_CONTENT_TYPE });
        builder.jsonBody(ERROR_BODY);
      })
      .executeTest(async (mock) => {
        const outcome = updateJob(EXAMPLE_MISSING_JOB_ID, { name: 'Nobody home' }, client(mock.url));
        await expect(outcome).rejects.toBeInstanceOf(NotFoundError);
        await expect(outcome).rejects.toMatchObject({ status: 404, jobId: EXAMPLE_MISSING_JOB_ID });
      });
  });

  it('gets 400 with an Error body for an isProcessing outside the enum', async () => {
    // The document's own example for isProcessing, which its enum does not allow.
    const invalid = { isProcessing: 'ExportError' } as unknown as JobUpdateParameters;
    await pact
      .addInteraction()
      .given(ProviderStates.jobExists)
      .uponReceiving('an update with an invalid isProcessing')
      .withRequest('PUT', jobPath(EXAMPLE_JOB_ID), authorisedJsonRequest({ isProcessing: 'ExportError' }))
      .willRespondWith(400, (builder) => {
        builder.headers({ 'Content-Type': JSON_CONTENT_TYPE });
        builder.jsonBody(ERROR_BODY);
      })
      .executeTest(async (mock) => {
        const outcome = updateJob(EXAMPLE_JOB_ID, invalid, client(mock.url));
        await expect(outcome).rejects.toBeInstanceOf(ApiError);
        await expect(outcome).rejects.toMatchObject({ status: 400 });
      });
  });

  it('wrote a pact that holds no credential and matches the committed one', () => {
    const written = fs.readFileSync(writtenFile, 'utf8');
    expect(written).not.toContain(CONSUMER_TEST_KEY);
    expect(written).not.toContain(Buffer.from(`${CONSUMER_TEST_KEY}:${CONSUMER_TEST_KEY}`).toString('base64'));
    const fresh = comparable(JSON.parse(written));
    expect(fresh.interactions).toHaveLength(8);
    if (path.resolve(outputDir) === path.resolve(PACT_DIR)) return; // we just regenerated the committed file
    expect(fs.existsSync(committedFile)).toBe(true);
    // If this fails, the expectations changed: run `npm run pact:consumer` and review the diff of pacts/.
    expect(comparable(JSON.parse(fs.readFileSync(committedFile, 'utf8')))).toEqual(fresh);
  });
});

function client(baseUrl: string) {
  return { baseUrl, auth: basicAuth(CONSUMER_TEST_KEY), timeoutMs: 5_000 };
}

/** The parts of a pact that are its meaning: not the library versions in its metadata. */
function comparable(pactJson: { consumer: unknown; provider: unknown; interactions: unknown[]; metadata: { pactSpecification: unknown } }) {
  return {
    consumer: pactJson.consumer,
    provider: pactJson.provider,
    interactions: pactJson.interactions,
    pactSpecification: pactJson.metadata.pactSpecification,
  };
}

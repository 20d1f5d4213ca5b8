/**
 * The broker double is held to the Pact Broker's published contract: the official broker client's pact with the
 * broker (tests/pact/fixtures/, see PROVENANCE.md), replayed against the double by the Pact CLI's verifier, for the
 * interactions the double implements (the index with pb:publish-contracts and the environment relations, publishing
 * contracts, the matrix that can-i-deploy reads, the pacticipant versions and deployment and release records that
 * record-deployment and record-release use). Provider states reach the double through its state-change endpoint.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pactBinary } from '../../src/pact/pact-cli';
import { cleanEnv } from '../helpers/cli';
import { STATE_CHANGE_PATH, startBrokerDouble, type BrokerDouble } from './broker-double';
import { tempDir } from '../helpers/temp';

const FIXTURE = path.join(__dirname, 'fixtures', 'Pact Broker Client V2-Pact Broker.json');
const FIXTURE_SHA256 = 'fd28c0f7c3211fea70330d782302d99f0728140e4716287c8bcaf35a5beb9c20';

interface V2Interaction {
  description: string;
  providerState?: string;
}
interface V2Pact {
  interactions: V2Interaction[];
  [key: string]: unknown;
}

const PUBLISH_STATE = 'the pb:publish-contracts relations exists in the index resource';
/** The matrix interactions the double does not implement: tag selectors (`--tag`, `--latest TAG`), unused here. */
const UNIMPLEMENTED_MATRIX_STATES = [
  'the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6 with tag prod, and 1.2.4 unsuccessfully by 9.9.9',
  'the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6 (tagged prod) and version 5.6.7',
];

/** The index states whose relations the double has: publishing, and the environments with the pacticipant versions. */
const INDEX_STATES = [
  PUBLISH_STATE,
  'the pb:environments relation exists in the index resource',
  'the pb:pacticipant-version and pb:environments relations exist in the index resource',
];
/** What record-deployment and record-release read and write: a version's relations, and the records themselves. */
const ENVIRONMENT_DESCRIPTIONS = ['a request for a pacticipant version', 'a request to record a deployment', 'a request to record a release', 'a request for the environments'];

function implemented(interaction: V2Interaction): boolean {
  if (interaction.description === 'a request for the index resource') return INDEX_STATES.includes(interaction.providerState ?? '');
  if (interaction.description === 'a request to publish contracts') return true;
  if (ENVIRONMENT_DESCRIPTIONS.includes(interaction.description)) return true;
  return (
    interaction.description.includes('compatibility matrix') &&
    !UNIMPLEMENTED_MATRIX_STATES.includes(interaction.providerState ?? '')
  );
}

let double: BrokerDouble;
let tmp: string;
let contract: V2Pact;
beforeAll(async () => {
  double = await startBrokerDouble();
  tmp = tempDir('lilt-broker-contract-');
  contract = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as V2Pact;
});
afterAll(() => double.close());

/** Writes the contract restricted to some interactions, and verifies the double against it. */
function verify(select: (interaction: V2Interaction) => boolean): Promise<{ status: number | null; output: string }> {
  const file = path.join(tmp, `subset-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify({ ...contract, interactions: contract.interactions.filter(select) }));
  const port = new URL(double.url).port;
  const args = ['verifier', '-f', file, '-h', '127.0.0.1', '-p', port, '-n', 'Pact Broker', '-s', `${double.url}${STATE_CHANGE_PATH}`];
  return new Promise((resolve, reject) => {
    const child = spawn(pactBinary(), args, {
      env: cleanEnv({ PACT_DO_NOT_TRACK: 'true' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

describe('the broker double against the Pact Broker contract', () => {
  it('uses the broker contract byte for byte as recorded in PROVENANCE.md', () => {
    expect(createHash('sha256').update(fs.readFileSync(FIXTURE)).digest('hex')).toBe(FIXTURE_SHA256);
    expect(contract.interactions).toHaveLength(67);
  });

  it('satisfies the index, publish-contracts, environment and matrix interactions it implements', async () => {
    const selected = contract.interactions.filter(implemented);
    // 3 index + 1 publish + 8 of the 10 matrix interactions; 3 pacticipant versions, a deployment, a release, the environments.
    expect(selected.filter((i) => i.description === 'a request for the index resource')).toHaveLength(3);
    expect(selected.filter((i) => i.description === 'a request to publish contracts')).toHaveLength(1);
    expect(selected.filter((i) => i.description.includes('compatibility matrix'))).toHaveLength(8);
    expect(selected.filter((i) => i.description === 'a request for a pacticipant version')).toHaveLength(3);
    expect(selected.filter((i) => ENVIRONMENT_DESCRIPTIONS.slice(1).includes(i.description))).toHaveLength(3);
    const run = await verify(implemented);
    expect(run.output).not.toMatch(/There were \d+ pact failures/);
    expect(run.status).toBe(0);
  });

  it('is caught by the verifier where it falls short (tag selectors are not implemented)', async () => {
    const run = await verify((i) => UNIMPLEMENTED_MATRIX_STATES.includes(i.providerState ?? ''));
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/There were 2 pact failures/);
  });
});

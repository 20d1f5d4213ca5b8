/** The counters file of a suite: written at most every interval while requests go out, exact after flush. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  appendCase,
  countersWriter,
  readContract,
  sumCounters,
  writeContract,
  writtenRunPaths,
} from '../../src/conformance/run-channel';
import { scanPaths } from '../../src/reports/key-scan';
import { loadContract } from '../../src/contract/load';
import { createValidators } from '../../src/validation/validators';

let runDir: string;
beforeEach(() => {
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lilt-run-channel-'));
});
afterEach(() => fs.rmSync(runDir, { recursive: true, force: true }));

test('a burst of updates writes once at first, the rest later; flush makes the file exact', () => {
  const writer = countersWriter(runDir, 'suite', 60_000);
  for (let sent = 1; sent <= 500; sent += 1) writer.update({ sent, throttled: sent === 400 ? 1 : 0, timeouts: 0 });
  // The first update is written at once; the next 499 wait for the interval.
  expect(sumCounters(runDir)).toEqual({ sent: 1, throttled: 0, timeouts: 0 });
  writer.flush();
  expect(sumCounters(runDir)).toEqual({ sent: 500, throttled: 0, timeouts: 0 });
  writer.flush(); // nothing new: no change
  expect(sumCounters(runDir).sent).toBe(500);
});

test('the trailing write comes after the interval without a flush', async () => {
  const writer = countersWriter(runDir, 'suite', 50);
  writer.update({ sent: 1, throttled: 0, timeouts: 0 });
  writer.update({ sent: 2, throttled: 1, timeouts: 1 });
  expect(sumCounters(runDir).sent).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 120));
  expect(sumCounters(runDir)).toEqual({ sent: 2, throttled: 1, timeouts: 1 });
});

test('two suites keep their own files; progress sums them', () => {
  const a = countersWriter(runDir, 'a');
  const b = countersWriter(runDir, 'b');
  a.update({ sent: 3, throttled: 1, timeouts: 0 });
  b.update({ sent: 4, throttled: 0, timeouts: 2 });
  a.flush();
  b.flush();
  expect(sumCounters(runDir)).toEqual({ sent: 7, throttled: 1, timeouts: 2 });
});

test('the contract the session validated reads back equal, and compiles to the same validators', async () => {
  expect(readContract(runDir)).toBeUndefined();
  const contract = await loadContract();
  writeContract(runDir, contract);
  const back = readContract(runDir);
  expect(back).toEqual(contract);
  const job = createValidators(back!).responseValidator('updateJob', 200, 'application/json');
  expect(job.validate({ id: 'not a number' }).valid).toBe(false);
  expect(job.schemaPointer).toBe(createValidators(contract).responseValidator('updateJob', 200, 'application/json').schemaPointer);
});

test('the key scan sees what the run wrote, not the contract snapshot (its input): a key that is a word of it is no leak', async () => {
  writeContract(runDir, await loadContract());
  countersWriter(runDir, 'suite').update({ sent: 1, throttled: 0, timeouts: 0 });
  appendCase(runDir, { type: 'case', suite: 's', scenario: 'x', tallies: {}, findings: [], requests: 1 });
  const key = 'isProcessing'; // a word of the document
  expect(scanPaths(key, [runDir])).not.toEqual([]);
  expect(writtenRunPaths(runDir).map((p) => path.basename(p)).sort()).toEqual(['counters', 'records.jsonl']);
  expect(scanPaths(key, writtenRunPaths(runDir))).toEqual([]);
  // A key the run did write is still found.
  appendCase(runDir, { type: 'case', suite: 's', scenario: key, tallies: {}, findings: [], requests: 1 });
  expect(scanPaths(key, writtenRunPaths(runDir))).not.toEqual([]);
});

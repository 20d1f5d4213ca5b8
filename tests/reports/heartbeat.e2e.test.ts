/**
 * The heartbeat as a CI log shows it: the CLI (a child process, stderr a pipe, so not a terminal) at --rate 120
 * against its in-process reference provider, a run of about three minutes that once printed nothing for as long. It
 * must print a progress line within 15 s of starting and then at least every 10 s; it is interrupted after 27 s (the
 * job is put back, exit 130).
 */
import { HEARTBEAT_EVERY_MS } from '../../src/reports/progress';
import { runConformance } from '../conformance/run-cli';

jest.setTimeout(90_000);

const WATCH_MS = 27_000;

test(`a run at --rate 120 prints a progress line within 15 s, then one at least every ${HEARTBEAT_EVERY_MS / 1000} s`, async () => {
  const lines: { at: number; text: string }[] = [];
  let seen = 0;
  let spawned = 0;
  let stopper: NodeJS.Timeout | undefined;
  const result = await runConformance(['--rate', '120', '--seed', '5'], {
    onChild: (child) => {
      spawned = Date.now();
      stopper = setTimeout(() => child.kill('SIGINT'), WATCH_MS);
    },
    onStderr: (stderr) => {
      const complete = stderr.slice(0, stderr.lastIndexOf('\n') + 1).split('\n').slice(0, -1);
      for (const text of complete.slice(seen)) lines.push({ at: Date.now() - spawned, text });
      seen = complete.length;
    },
  });
  clearTimeout(stopper);
  expect(result.code).toBe(130);
  const until = lines.filter((line) => line.at < WATCH_MS && !/SIGINT/.test(line.text));
  const progress = until.filter((line) => /^(progress: |[a-z]+: cases \d+\/\d+ done)/.test(line.text));
  expect(progress[0]?.at).toBeLessThanOrEqual(15_000);
  expect(progress.some((line) => /^progress: \d+ of about \d+ requests sent, .*waiting on the quota \(paced to 120 a minute\), about .* left$/.test(line.text))).toBe(true);
  // From the first progress line until the interruption, no silence of more than the heartbeat's period.
  const watched = [...until.filter((line) => line.at >= progress[0]!.at), { at: WATCH_MS, text: '(interrupted)' }];
  const gaps = watched.slice(1).map((line, i) => ({ gap: line.at - watched[i]!.at, after: watched[i]!.text }));
  expect(gaps.filter(({ gap }) => gap > HEARTBEAT_EVERY_MS)).toEqual([]);
  expect(result.stdout).toMatch(/job 241: restored/);
});

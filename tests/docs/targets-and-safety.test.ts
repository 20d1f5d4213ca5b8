/** docs/targets-and-safety.md states the bounds the code has: each flag, its environment variable and its default. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULTS, OPTION_ENV } from '../../src/config/run-config';
import { MAX_HEADER_BYTES, MAX_RESPONSE_BYTES } from '../../src/http/transport';
import { REPORT_DIR_TIMEOUT_MS } from '../../src/reports/files';

const page = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'targets-and-safety.md'), 'utf8');
const row = (flag: string) => page.split('\n').find((line) => line.startsWith(`| `) && line.includes(`\`${flag}\``)) ?? '';

test.each([
  ['--timeout-ms', OPTION_ENV.timeoutMs, `${DEFAULTS.timeoutMs} ms`],
  ['--max-wait', OPTION_ENV.maxWait, `${DEFAULTS.maxWaitSeconds}`],
  ['--max-duration', OPTION_ENV.maxDuration, `${DEFAULTS.maxDurationSeconds}`],
  ['--restore-timeout', OPTION_ENV.restoreTimeout, `${DEFAULTS.restoreTimeoutSeconds}`],
])('%s: its row names %s and the default', (flag, env, shown) => {
  const line = row(flag);
  expect(line).toContain(`\`${env}\``);
  expect(line.split('|')[3]?.trim()).toMatch(new RegExp(`^${shown}\\b`));
});

test('the body cap, the header limit and the report directory bound are the code\'s', () => {
  expect(MAX_RESPONSE_BYTES).toBe(1024 * 1024);
  expect(page).toMatch(/\| a response body \| none \(a constant\) \| 1 MiB \|/);
  expect(page).toContain(`exceed ${MAX_HEADER_BYTES} bytes`);
  expect(page).toContain(`${REPORT_DIR_TIMEOUT_MS / 1000} s at most`);
  expect(page).toContain(`${DEFAULTS.maxDurationSeconds} + ${DEFAULTS.timeoutMs / 1000} + ${DEFAULTS.restoreTimeoutSeconds} s with the defaults`);
});

/** curl reproductions: $LILT_API_KEY stands for the key, bodies are quoted byte for byte. */
import { curlFor, shellQuote } from '../../src/http/curl';
import type { ApiRequest } from '../../src/http/request';
import { execFileSync } from 'node:child_process';

const route = { baseUrl: 'https://staging.example.com', pathTemplate: '/v2/jobs/{jobId}', keyParameter: 'key' };
const request = (over: Partial<ApiRequest>): ApiRequest => ({
  method: 'PUT',
  idSegment: '241',
  body: '{"name":"it\'s \\"quoted\\" $HOME"}',
  contentType: 'application/json',
  auth: { kind: 'basic' },
  ...over,
});

test('Basic auth: -u with $LILT_API_KEY, the body single-quoted', () => {
  expect(curlFor(route, request({}))).toBe(
    `curl -sS -i -X PUT 'https://staging.example.com/v2/jobs/241' -u "$LILT_API_KEY:$LILT_API_KEY" -H 'Content-Type: application/json' --data-raw '{"name":"it'\\''s \\"quoted\\" $HOME"}'`,
  );
});

test('query auth: the URL double-quoted so the shell expands only $LILT_API_KEY', () => {
  const line = curlFor(route, request({ auth: { kind: 'query' }, idSegment: '$x', body: undefined, contentType: undefined }));
  expect(line).toBe(`curl -sS -i -X PUT "https://staging.example.com/v2/jobs/\\$x?key=$LILT_API_KEY"`);
});

test('the shell reads back exactly the body that was sent', () => {
  const body = `{"name":"a'b\\"c $HOME \`x\` \\\\ 😀"}`;
  const echoed = execFileSync('sh', ['-c', `printf '%s' ${shellQuote(body)}`], { encoding: 'utf8' });
  expect(echoed).toBe(body);
});

test('a malformed header is shown as sent; no credentials, no -u', () => {
  expect(curlFor(route, request({ auth: { kind: 'raw-header', header: 'Basic !!!' } }))).toContain(`-H 'Authorization: Basic !!!'`);
  expect(curlFor(route, request({ auth: { kind: 'none' } }))).not.toMatch(/-u|Authorization|key=/);
});

/** Log lines: the API key query value is redacted however its name is spelt, and a request line cannot forge lines. */
import { formatLogLine, redactUrl } from '../../src/provider/request-log';

describe('redactUrl', () => {
  it.each([
    ['/v2/jobs/241?key=secret', '/v2/jobs/241?key=***'],
    ['/v2/jobs/241?a=1&key=secret&b=2', '/v2/jobs/241?a=1&key=***&b=2'],
    ['/v2/jobs/241?key=one&key=two', '/v2/jobs/241?key=***&key=***'],
    ['/v2/jobs/241?k%65y=secret', '/v2/jobs/241?k%65y=***'],
    ['/v2/jobs/241?key', '/v2/jobs/241?key=***'],
    ['/v2/jobs/241?%ZZ=1&key=secret', '/v2/jobs/241?%ZZ=1&key=***'],
    ['/v2/jobs/241?keys=visible', '/v2/jobs/241?keys=visible'],
    ['/v2/jobs/241', '/v2/jobs/241'],
  ])('%s is logged as %s', (url, logged) => {
    expect(redactUrl(url, 'key')).toBe(logged);
    expect(redactUrl(url, 'key')).not.toContain('secret');
  });
});

describe('formatLogLine', () => {
  it('writes method, path, status and duration on one line', () => {
    expect(formatLogLine('PUT', '/v2/jobs/241?key=***', 200, 3.14159)).toBe('PUT /v2/jobs/241?key=*** 200 3.1ms');
  });

  it('escapes control characters so one request is one line', () => {
    expect(formatLogLine('PUT', '/a\r\nFAKE 200', 400, 0)).toBe('PUT /a%0D%0AFAKE 200 400 0.0ms');
  });
});

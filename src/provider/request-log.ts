/**
 * One log line per request: method, path (the API key query value redacted), status, duration. The key parameter is
 * recognised after percent-decoding its name, so `k%65y=...` is redacted too.
 */
export function redactUrl(url: string, keyParameter: string | undefined): string {
  const question = url.indexOf('?');
  if (question < 0 || keyParameter === undefined) return url;
  const query = url
    .slice(question + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const rawName = equals < 0 ? pair : pair.slice(0, equals);
      let name: string;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        name = rawName;
      }
      return name === keyParameter ? `${rawName}=***` : pair;
    })
    .join('&');
  return `${url.slice(0, question)}?${query}`;
}

export function formatLogLine(method: string, url: string, status: number, durationMs: number): string {
  // Control characters in a request line must not forge extra log lines.
  const safeUrl = url.replace(/[\u0000-\u001f\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
  return `${method} ${safeUrl} ${status} ${durationMs.toFixed(1)}ms`;
}

/**
 * After a run, what its findings say about the inputs rather than the target, in one line each:
 *
 * - the first read answered a web page (text/html): the URL is a site, not the API; check the base URL and base path;
 * - the id given as --missing-job-id answered 200 with a Job of that id: the flag names a job that exists, so the
 *   findings about it are the flag's, not the target's (the run exits 2, as for any bad input).
 */
import { DEFAULTS } from '../config/run-config';
import type { Finding } from '../case/finding';
import { START_UP_GROUP } from '../run/session/session';
import type { RunResult } from '../run/run';

export interface InputHints {
  /** Lines to print (with their `hint:` or `error:` prefix), each one line. */
  readonly lines: readonly string[];
  /** True when an input is at fault for failing checks: the exit is a usage error (2), not a finding (1). */
  readonly badInput: boolean;
}

const isHtml = (contentType: string | undefined) => /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType ?? '');

/** The first read's finding whose response was a web page, if any. */
function webPage(result: RunResult): Finding | undefined {
  const startUp = result.cases[0];
  if (startUp === undefined || startUp.group !== START_UP_GROUP) return undefined;
  return startUp.findings.find((finding) => isHtml(finding.response.contentType));
}

/** A finding on a request to the missing id that got the Job of that id back: the id names a job. */
function existingMissingJob(result: RunResult, missingJobId: number): Finding | undefined {
  const toMissing = new RegExp(`/${missingJobId}(?:[?#]|$)`);
  const itsJob = new RegExp(`"id"\\s*:\\s*${missingJobId}(?![0-9.])`);
  return result.cases
    .flatMap((record) => record.findings)
    .find((f) => f.response.status === 200 && toMissing.test(f.request.url) && itsJob.test(f.response.body));
}

export function inputHints(result: RunResult): InputHints {
  const lines: string[] = [];
  let badInput = false;
  const page = webPage(result);
  if (page !== undefined) {
    const url = page.request.url.split('?')[0] ?? page.request.url;
    const added = url.startsWith(result.target) ? ` (the run adds ${url.slice(result.target.length)} to it)` : '';
    lines.push(
      `hint: ${result.target} looks like a web page, not the API: the first read (${page.request.method} ${page.request.url}) ` +
        `answered ${page.response.status} ${page.response.contentType ?? ''}; check the base URL and base path of --target${added}`,
    );
  }
  const { config } = result;
  if (config.target.kind === 'url' && config.missingJobId !== undefined) {
    const found = existingMissingJob(result, config.missingJobId);
    if (found !== undefined) {
      badInput = true;
      lines.push(
        `error: --missing-job-id ${config.missingJobId} names a job that exists on ${result.target} (${found.request.method} ` +
          `${found.request.url} answered 200 with job ${config.missingJobId}), so the findings about that id are the flag's, ` +
          `not the target's; pick an id no job has (or leave the flag out: its default, ${DEFAULTS.missingJobId}, is far from real ids)`,
      );
    }
  }
  return { lines, badInput };
}

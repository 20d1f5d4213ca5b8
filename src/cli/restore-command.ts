/**
 * The command that puts a job back by hand, for the RESTORE FAILED block: the restoring PUT the run tried, as a
 * `curl` line a person can paste. The key is `$LILT_API_KEY` (their shell expands it), never its value; a secret
 * header's value is its `$LILT_HEADER_<NAME>` variable; the body holds the original values in the request's form.
 */
import type { Contract } from '../contract/load';
import { conformanceFacts } from '../checks/facts';
import { restoreBody, type OriginalState } from '../run/job-guard';
import { curlFor } from '../http/curl';
import { oneLineJson } from '../http/one-line-json';
import type { RequestHeader } from '../http/headers';
import { createValidators } from '../validation/validators';

export interface RestoreTarget {
  /** The target's base URL (as --target gives it). */
  readonly baseUrl: string;
  /** How the key is sent: Basic auth, or the key query parameter. */
  readonly auth: 'basic' | 'query';
  /** Headers sent on every request (-H). */
  readonly headers?: readonly RequestHeader[];
}

export function restoreCommand(contract: Contract, target: RestoreTarget, original: OriginalState): string {
  const facts = conformanceFacts(createValidators(contract));
  return curlFor(
    { baseUrl: target.baseUrl, pathTemplate: facts.model.fullPath, keyParameter: facts.keyParameter, headers: target.headers ?? [] },
    {
      method: facts.method,
      idSegment: String(original.jobId),
      // One line to paste: NEL, U+2028 and U+2029 in a value as JSON escapes (the same JSON value).
      body: oneLineJson(restoreBody(facts, original)),
      contentType: 'application/json',
      auth: { kind: target.auth },
    },
  );
}

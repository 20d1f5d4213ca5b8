/**
 * How the run reads a job: one request, built in one place, for every read (the first reads, a case's reads, the
 * probe sections' read-backs, the watch of live properties, the restore's checks). Today a read is the operation's
 * own no-op, PUT `{}` (BEHAVIOUR.md: how a client reads a job with PUT alone); `isRead` tells such a request apart,
 * for the watch of live properties.
 */
import type { ConformanceFacts } from '../checks/facts';
import type { ApiRequest, ValidAuth } from '../http/request';

export function readRequest(facts: ConformanceFacts, jobId: number | string, auth: ValidAuth): ApiRequest {
  return { method: facts.method, idSegment: String(jobId), body: '{}', contentType: 'application/json', auth };
}

/** Whether a request only reads the job its segment names (with a valid credential, in the plain shape). */
export function isRead(facts: ConformanceFacts, request: ApiRequest): boolean {
  if (request.method !== facts.method || request.body !== '{}' || request.envelope !== undefined) return false;
  return request.auth.kind === 'basic' || request.auth.kind === 'query';
}

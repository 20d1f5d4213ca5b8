/**
 * How the run reads a job: one request, built in one place, for every read (the first reads, a case's reads, the
 * probe sections' read-backs, the watch of live properties, the restore's checks). When the document has a GET on the
 * same path returning the same Job, a read is that GET, which writes nothing; otherwise it is the operation's own
 * no-op, PUT `{}` (BEHAVIOUR.md: how a client reads a job with PUT alone). `isRead` tells either apart, for the watch
 * of live properties.
 */
import type { ConformanceFacts } from '../checks/facts';
import type { ApiRequest, ValidAuth } from '../http/request';

/** Whether the run reads through the document's GET (else through PUT `{}`). */
export function readsByGet(facts: ConformanceFacts): boolean {
  return facts.model.read?.returnsJob === true;
}

export function readRequest(facts: ConformanceFacts, jobId: number | string, auth: ValidAuth): ApiRequest {
  if (readsByGet(facts)) return { method: 'GET', idSegment: String(jobId), body: undefined, contentType: undefined, auth };
  return { method: facts.method, idSegment: String(jobId), body: '{}', contentType: 'application/json', auth };
}

/** Whether a request only reads the job its segment names (with a valid credential, in the plain shape). */
export function isRead(facts: ConformanceFacts, request: ApiRequest): boolean {
  if (request.envelope !== undefined) return false;
  const byGet = request.method === 'GET' && request.body === undefined;
  const byPut = request.method === facts.method && request.body === '{}';
  if (!byGet && !byPut) return false;
  return request.auth.kind === 'basic' || request.auth.kind === 'query';
}

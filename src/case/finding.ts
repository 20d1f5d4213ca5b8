/**
 * A finding: one check failed on one exchange. It is data (returned by the run as a value, read by the
 * reports): the rule, expected and actual, the request (auth symbolic, so no key) and the response trimmed, a curl
 * reproduction with $LILT_API_KEY, and for a property failure the seed and path that replay it.
 */
import type { ApiRequest, Exchange } from '../http/request';
import { describeAuth } from '../http/request';
import { curlFor, shownUrl } from '../http/curl';
import type { Route } from '../http/target-url';
import type { AdviceId, RuleId } from '../contract/rules';
import type { CheckGroup } from '../checks/types';
import { detached } from '../validation/violations';
import { redactForExcerpt } from '../http/key-scan';

export interface StoredRequest {
  readonly method: string;
  /** The URL with `$LILT_API_KEY` standing for the key. */
  readonly url: string;
  readonly auth: string;
  readonly contentType?: string;
  /** The body, trimmed (the curl line has it whole). */
  readonly body?: string;
}

export interface StoredResponse {
  /** 0 when there was no answer (then `noAnswer` says why). */
  readonly status: number;
  readonly noAnswer?: string;
  readonly contentType?: string;
  readonly body: string;
  readonly durationMs: number;
}

export interface Replay {
  /** The property that failed. */
  readonly property: string;
  readonly seed: number;
  /** fast-check's path to the shrunk counterexample. */
  readonly path: string;
  /** The shrunk counterexample, as fast-check prints it. */
  readonly counterexample: string;
  /** The command that replays it. */
  readonly command: string;
}

/** What a finding carries when an entry of the baseline acknowledges it. */
export interface Acknowledgement {
  readonly entry: number;
  readonly reason: string;
  readonly expires?: string;
}

/** A finding that is only our preference (an ADVICE entry): reported apart, failing nothing unless asked to. */
export interface Advisory {
  readonly id: AdviceId;
  /** What we would prefer. */
  readonly statement: string;
  /** Why, and why it is only a preference. */
  readonly reason: string;
  /** --fail-on-advisory: this advisory fails the run like a finding. */
  readonly failsTheRun: boolean;
}

export interface Finding {
  readonly checkId: string;
  readonly checkGroup: CheckGroup;
  readonly rule: string;
  /** The statements of contracts/BEHAVIOUR.md it applies: the check's, and the expectation's it judged. */
  readonly rules: readonly RuleId[];
  /** Where those rules come from, a line each: a path in the OpenAPI document, a passage of BEHAVIOUR.md, an RFC section. */
  readonly sources: readonly string[];
  /** Set when the finding is an advisory (a preference the contract does not state). */
  readonly advisory?: Advisory;
  /**
   * The job and the Job properties it is about, when it is only about properties that changed: withdrawn before the
   * verdict if one of them turns out to move on its own (a live job).
   */
  readonly about?: { readonly jobId: number; readonly properties: readonly string[] };
  readonly expected: string;
  readonly actual: string;
  /** The group and the case it came from. */
  readonly group: string;
  readonly case: string;
  readonly request: StoredRequest;
  readonly response: StoredResponse;
  readonly curl: string;
  readonly replay?: Replay;
  /** Set when an entry of the run's baseline acknowledges it: it is shown, and does not fail the run. */
  readonly acknowledged?: Acknowledgement;
}

/** The first `max` characters, as a string of its own (`detached`: an excerpt never keeps the whole text alive). */
export function trimText(text: string, max: number): string {
  // Redacted before it is cut: a cut could leave a part of the key the redaction would no longer know.
  const shown = text.length > max ? redactForExcerpt(text) : text;
  return detached(shown.length > max ? `${shown.slice(0, max)}... (${text.length} chars in all)` : shown);
}

export function storedRequest(route: Route, request: ApiRequest): StoredRequest {
  return {
    method: request.method,
    url: shownUrl(route, request),
    auth: describeAuth(request.auth),
    ...(request.contentType === undefined ? {} : { contentType: request.contentType }),
    ...(request.body === undefined ? {} : { body: trimText(request.body, 600) }),
  };
}

export function storedResponse(exchange: Exchange): StoredResponse {
  const { response } = exchange;
  return {
    status: response.status,
    ...(response.noAnswer === undefined ? {} : { noAnswer: response.noAnswer }),
    ...(response.contentType === undefined ? {} : { contentType: response.contentType }),
    body: trimText(response.text, 600),
    durationMs: Math.round(exchange.durationMs),
  };
}

export function reproduction(route: Route, request: ApiRequest): string {
  return curlFor(route, request);
}

/** The finding with every string passed through `redact` (a target may echo the key in what it answers). */
export function redactFinding(finding: Finding, redact: (text: string) => string): Finding {
  return JSON.parse(JSON.stringify(finding), (_key, value: unknown) => (typeof value === 'string' ? redact(value) : value)) as Finding;
}

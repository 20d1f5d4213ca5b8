/** Small builders the cases share: a request to the lane's job (or another id), and a loop that skips withheld inputs. */
import type { ApiRequest, AuthSpec } from '../http/request';
import type { Case } from '../case/case';
import { RequestWithheld } from '../case/errors';
import { fieldKindOf } from '../contract/model';

/** A request with `body` as written (undefined: no body), by the valid auth unless told, to the lane's job unless told. */
export function request(c: Case, body: string | undefined, auth: AuthSpec = c.auth, idSegment = c.jobSegment): ApiRequest {
  return {
    method: c.facts.method,
    idSegment,
    body,
    contentType: body === undefined ? undefined : 'application/json',
    auth,
  };
}

/** A request with `value` as its JSON body. */
export function jsonRequest(c: Case, value: unknown, auth: AuthSpec = c.auth, idSegment = c.jobSegment): ApiRequest {
  return request(c, JSON.stringify(value), auth, idSegment);
}

/**
 * Runs `body` for each item, one after another; an aborted item aborts the case (the target is gone); a withheld one
 * (it names a field the job does not have) is skipped.
 */
export async function skipWithheld<T>(items: readonly T[], body: (item: T) => Promise<void>): Promise<void> {
  for (const item of items) {
    try {
      await body(item);
    } catch (error) {
      if (!(error instanceof RequestWithheld)) throw error;
    }
  }
}

/** The first updatable free-string field the job has (name in LILT's document): what probes set. Undefined: none. */
export function stringField(c: Case): string | undefined {
  return c.updatableFields.find((field) => {
    const schema = c.facts.requestFields[field];
    return schema !== undefined && fieldKindOf(schema)?.type === 'string';
  });
}

/**
 * A body setting the string field to `text` (a probe's update, or what must not stick when refused); `{}` when the
 * document's request has no stored string field.
 */
export function textBody(c: Case, text: string): Record<string, unknown> {
  const field = stringField(c);
  return field === undefined ? {} : { [field]: text };
}

/**
 * Group 1, response conformance: run on every response the run gets, whatever the request expected.
 */
import { isJsonMediaType, mediaTypeOf, responseKeyFor } from '../../contract/operation';
import { formatViolation } from '../../validation/violations';
import { OPERATION_ID, type ConformanceFacts } from '../facts';
import { fail, NOT_APPLICABLE, PASS, type Check } from './types';

function documentedStatusText(explicit: readonly number[], hasDefault: boolean): string {
  return `${explicit.join(', ')}${hasDefault ? ', or an error status (4xx) under default' : ''}`;
}

/** An explicit code, or an error under `default`: `default` covers errors only, not a success or redirect (BEHAVIOUR.md). */
function isDocumentedStatus(facts: ConformanceFacts, status: number): boolean {
  return facts.explicitStatuses.includes(status) || (facts.hasDefault && status >= 400);
}

export const statusDocumented: Check = {
  id: 'response.status-documented',
  group: 'schema',
  rule: 'The status is one the operation documents (an explicit code, or an error under `default`); 201/204 and 3xx are not.',
  run({ response }, { facts }) {
    const { status } = response;
    if (isDocumentedStatus(facts, status)) return PASS;
    return fail(documentedStatusText(facts.explicitStatuses, facts.hasDefault), `status ${status}`);
  },
};

export const noServerError: Check = {
  id: 'response.no-server-error',
  group: 'schema',
  rule: 'No request, however malformed, gets a 5xx.',
  run({ response }) {
    return response.status >= 500 ? fail('a status below 500', `status ${response.status}`) : PASS;
  },
};

export const contentTypeDocumented: Check = {
  id: 'response.content-type-documented',
  group: 'schema',
  rule: 'The Content-Type is one documented for that status (parameters such as charset allowed).',
  run({ response }, { facts }) {
    // An undocumented status (a 201 would fall to default's Error): response.status-documented alone reports it.
    if (!isDocumentedStatus(facts, response.status)) return NOT_APPLICABLE;
    const documented = facts.validators.documentedMediaTypes(OPERATION_ID, response.status);
    if (documented.length === 0) return NOT_APPLICABLE;
    if (response.contentType === undefined) {
      return fail(`Content-Type ${documented.join(' or ')}`, 'no Content-Type header');
    }
    return documented.includes(mediaTypeOf(response.contentType))
      ? PASS
      : fail(`Content-Type ${documented.join(' or ')}`, `Content-Type ${response.contentType}`);
  },
};

export const bodyMatchesSchema: Check = {
  id: 'response.body-matches-schema',
  group: 'schema',
  rule: 'The body is valid against the schema documented for that status and Content-Type (Job, Error with its message, the 401 text); date-times are strict RFC 3339.',
  run({ response }, { facts }) {
    if (response.contentType === undefined || !isDocumentedStatus(facts, response.status)) return NOT_APPLICABLE;
    const validator = facts.validators.findResponseValidator(OPERATION_ID, response.status, response.contentType);
    if (validator === undefined) return NOT_APPLICABLE; // undocumented status or media type: reported by those checks
    const result = validator.validateText(response.text);
    if (result.valid) {
      // BEHAVIOUR.md reads the Error as {"message": string}: its properties are required, though the schema says not.
      const isError = responseKeyFor(facts.operation, response.status) === 'default' && isJsonMediaType(mediaTypeOf(response.contentType));
      const body = result.value;
      if (!isError || typeof body !== 'object' || body === null || Array.isArray(body)) return PASS;
      const missing = facts.errorProperties.filter((name) => !(name in body));
      if (missing.length === 0) return PASS;
      return fail(
        `an Error body with ${facts.errorProperties.map((name) => `'${name}'`).join(', ')} (BEHAVIOUR.md: {"message": string})`,
        missing.map((name) => `/${name}: required: absent`).join('; '),
      );
    }
    const shown = result.violations.slice(0, 3).map(formatViolation);
    if (result.violations.length > 3) shown.push(`(and ${result.violations.length - 3} more)`);
    return fail(`a body valid against #${validator.schemaPointer}`, shown.join('; '));
  },
};

export const RESPONSE_CHECKS: readonly Check[] = [statusDocumented, noServerError, contentTypeDocumented, bodyMatchesSchema];

/**
 * The coverage group: the curated datasets of src/coverage (naughty strings, date-times by the calendar's structure,
 * integers and ids as text, request combinations), each value sent once and judged by the oracle that judges every
 * other request, through the expectation its dataset gives it. Planned before the random properties, so that what
 * random generation rarely reaches (a repeated DST hour, digits of other scripts, both credentials at once, the name
 * "null") is sent on every run.
 *
 * One case per class of each dataset, in two parts: the values that must leave the job as it is (refusals, ids, wrong
 * credentials) go into the lane's probe section, one read-back a round; the others write, and are shared out over the
 * lanes like any ordered case.
 */
import type { ConformanceFacts } from '../checks/facts';
import type { Expectation } from '../checks/types';
import type { Case, CaseDef } from '../case/case';
import type { RuleId } from '../contract/rules';
import { authSpecOf, buildCoverage, type CombinationValue, type CoverageDatasets, type CoverageFieldValue, type CoverageIdValue, type CoverageRequest, type CoverageValue, type Stored } from '../coverage';
import type { ApiRequest } from '../http/request';
import { skipWithheld } from './common';

/** The group's name on its cases: `coverage <dataset> <class>[ (refused or read only)]`. */
const PREFIX = 'coverage';

/** Datasets by contract and ids: built once (a run builds them for its own job; the plan, with the reference ids). */
const built = new WeakMap<ConformanceFacts, Map<string, CoverageDatasets>>();

function datasets(facts: ConformanceFacts, existing: number, missing: number): CoverageDatasets {
  let byIds = built.get(facts);
  if (byIds === undefined) {
    byIds = new Map();
    built.set(facts, byIds);
  }
  const key = `${existing}/${missing}`;
  let found = byIds.get(key);
  if (found === undefined) {
    found = buildCoverage(facts.model, { ids: { existing, missing } });
    byIds.set(key, found);
  }
  return found;
}

/** Whether a value's requests must leave the job as it is: it goes into the lane's probe section. */
function leavesJob(value: CoverageValue): boolean {
  switch (value.kind) {
    case 'field':
      return value.expectation === 'reject';
    case 'id':
      return true;
    case 'combination':
      return value.what === 'credentials' && value.expectation === 'unauthorized';
  }
}

/** How an accepted value must show in the Job (stored exactly, as the same instant, as the integer). */
function jobValue(stored: Stored): unknown {
  return stored.value;
}

/** The rule a field value's expectation applies, by the field's kind (its dataset) and the expectation. */
function fieldRule(value: CoverageFieldValue): RuleId {
  const byDataset: Readonly<Record<string, Readonly<Record<CoverageFieldValue['expectation'], RuleId>>>> = {
    strings: { accept: 'body.name-exact', reject: 'body.invalid-value-4xx', open: 'envelope.reader-limits' },
    'date-times': { accept: 'body.due-instant', reject: 'body.due-invalid', open: 'body.due-open-forms' },
    integers: { accept: 'body.isProcessing', reject: 'body.isProcessing', open: 'body.number-spelling' },
  };
  return value.rule ?? byDataset[value.dataset]?.[value.expectation] ?? 'body.invalid-value-4xx';
}

function fieldExpectation(c: Case, value: CoverageFieldValue): Expectation {
  const rule = fieldRule(value);
  const updatable = c.facts.updatableFields.includes(value.field);
  if (value.expectation === 'reject') return { kind: 'reject', rule };
  const changes = updatable && value.stored !== undefined ? { [value.field]: jobValue(value.stored) } : {};
  if (value.expectation === 'accept') return { kind: 'update', jobId: c.jobId, changes, rule };
  const unjudged = [...(updatable && value.stored === undefined ? [value.field] : []), ...(value.mayAlsoSet ?? [])];
  return { kind: 'observe', rule, ifAccepted: { jobId: c.jobId, changes, unjudged } };
}

function idExpectation(c: Case, value: CoverageIdValue): Expectation {
  switch (value.expectation) {
    case 'existing':
      return { kind: 'update', jobId: c.jobId, changes: {}, rule: 'id.existing' };
    case 'missing':
      return { kind: 'not-found', rule: 'id.missing-job-404' };
    case 'invalid':
      return { kind: 'invalid-id', rule: 'id.invalid-4xx' };
    case 'open':
      return { kind: 'observe', rule: value.rule ?? (/%/.test(value.segment) ? 'id.percent-encoded' : 'id.open-spellings') };
  }
}

/** A request of a combination, to the lane's job, with its credentials, Accept and body as they are. */
function combinationRequest(c: Case, request: CoverageRequest): ApiRequest {
  return {
    method: c.facts.method,
    idSegment: c.jobSegment,
    body: request.body,
    contentType: 'application/json',
    auth: authSpecOf(request.credentials),
    ...(request.accept === undefined ? {} : { accept: request.accept }),
  };
}

/** Both credentials present, one valid and one wrong: either side is conformant (contracts/BEHAVIOUR.md). */
function validBesideWrong(value: Extract<CombinationValue, { what: 'credentials' }>): boolean {
  const { basic, query } = value.request.credentials;
  if (basic === undefined || query === undefined || query.length === 0) return false;
  const basicValid = basic.user === 'key' && basic.password === 'key';
  const queryValid = query.every((form) => form === 'key');
  return basicValid !== queryValid;
}

async function sendCombination(c: Case, value: CombinationValue): Promise<void> {
  const request = combinationRequest(c, value.request);
  switch (value.what) {
    case 'credentials': {
      const { changes } = value;
      if (value.expectation === 'unauthorized') return void (await c.send(request, { expect: { kind: 'unauthorized', rule: 'auth.refused-401' } }));
      if (validBesideWrong(value)) {
        return void (await c.send(request, { expect: { kind: 'observe', rule: 'auth.valid-beside-wrong', ifAccepted: { jobId: c.jobId, changes, unjudged: [] } } }));
      }
      const rule: RuleId = value.class === 'basic-spellings' ? 'auth.scheme-case' : 'auth.valid-key';
      return void (await c.send(request, { expect: { kind: 'update', jobId: c.jobId, changes, rule } }));
    }
    case 'accept': {
      const { changes } = value;
      if (value.expectation === 'accept') return void (await c.send(request, { expect: { kind: 'update', jobId: c.jobId, changes, rule: 'request.accept' } }));
      return void (await c.send(request, { expect: { kind: 'observe', rule: 'request.accept-unmatched', ifAccepted: { jobId: c.jobId, changes, unjudged: [] } } }));
    }
    case 'replay': {
      const { changes } = value;
      // The request with the key, then the same at once with no or a wrong key: a response cache must not answer it.
      await c.send(combinationRequest(c, value.before), { expect: { kind: 'update', jobId: c.jobId, changes, rule: 'auth.valid-key' } });
      return void (await c.send(request, { expect: { kind: 'unauthorized', rule: 'auth.refused-401' } }));
    }
    case 'duplicate-keys': {
      const oneOf = value.storedOneOf.length > 0 && c.facts.updatableFields.includes(value.field) ? { [value.field]: value.storedOneOf.map(jobValue) } : undefined;
      const rule: RuleId = 'envelope.duplicate-keys';
      if (value.expectation === 'reject') return void (await c.send(request, { expect: { kind: 'reject', rule } }));
      const ifAccepted = { jobId: c.jobId, changes: {}, unjudged: [value.field], ...(oneOf ? { oneOf } : {}) };
      return void (await c.send(request, { expect: { kind: 'observe', rule, ifAccepted } }));
    }
  }
}

async function sendValue(c: Case, value: CoverageValue): Promise<void> {
  switch (value.kind) {
    case 'field': {
      const body = value.valueText !== undefined ? `{${JSON.stringify(value.field)}:${value.valueText}}` : JSON.stringify({ [value.field]: value.value });
      const request: ApiRequest = { method: c.facts.method, idSegment: c.jobSegment, body, contentType: 'application/json', auth: c.auth };
      await c.send(request, { expect: fieldExpectation(c, value) });
      return;
    }
    case 'id': {
      const request: ApiRequest = { method: c.facts.method, idSegment: value.segment, body: '{}', contentType: 'application/json', auth: c.auth };
      await c.send(request, { expect: idExpectation(c, value) });
      return;
    }
    case 'combination':
      return sendCombination(c, value);
  }
}

/**
 * The requests a value sends when the answer is on the accepting side: one (a replay two, and the read-back of its
 * 401; a refusal the class writes beside, and its read-back). Outside a probe section a refusal is read back.
 */
function requestsOf(value: CoverageValue): number {
  if (leavesJob(value) || value.kind !== 'combination') return 1;
  if (value.what === 'replay') return 3;
  return value.what === 'duplicate-keys' && value.expectation === 'reject' ? 2 : 1;
}

/** One read more when the provider takes the refusing side of an open value (outside a probe section). */
function refusalReadsOf(value: CoverageValue): number {
  if (leavesJob(value)) return 0;
  switch (value.kind) {
    case 'field':
      return value.expectation === 'open' ? 1 : 0;
    case 'id':
      return 0;
    case 'combination':
      if (value.what === 'credentials') return validBesideWrong(value) ? 1 : 0;
      if (value.what === 'replay') return 0;
      return value.expectation === 'open' ? 1 : 0;
  }
}

/** One class of one dataset, its values that leave the job as it is (`probes`) or the others. */
function classCase(dataset: CoverageDatasets['all'][number], cls: string, probes: boolean, count: number, openReads: number): CaseDef {
  const pick = (all: CoverageDatasets, c: Case) =>
    (all.all.find((d) => d.name === dataset.name)?.values ?? []).filter((v) => v.class === cls && leavesJob(v) === probes && (v.kind !== 'field' || !c.lane.unwritable.includes(v.field)));
  return {
    name: `${PREFIX} ${dataset.name} ${cls}${probes ? ' (refused or read only)' : ''}: ${count} values`,
    estimate: () => count,
    ...(openReads > 0 ? { openReads } : {}),
    ...(probes ? { probe: true } : {}),
    run: async (c) => {
      const values = pick(datasets(c.facts, c.jobId, c.missingJobId), c);
      // Refusals side by side in the lane's probe section; writes one after another.
      if (probes) await c.forEach(values, (value) => skipWithheldOne(() => sendValue(c, value)));
      else await skipWithheld(values, (value) => sendValue(c, value));
    },
  };
}

/** Runs one input, skipping it when it names a field the job lacks. */
function skipWithheldOne(send: () => Promise<void>): Promise<void> {
  return skipWithheld([0], send);
}

/**
 * The coverage group's cases, from the datasets built with `ids` (the plan's: each case sends its own values, built
 * with the run's own job ids, of the same classes and counts).
 */
export function coverageCases(facts: ConformanceFacts, ids: { readonly existing: number; readonly missing: number }): CaseDef[] {
  const all = datasets(facts, ids.existing, ids.missing);
  return all.all.flatMap((dataset) =>
    dataset.classes.flatMap((cls) =>
      [true, false].flatMap((probes) => {
        const values = dataset.values.filter((v) => v.class === cls.name && leavesJob(v) === probes);
        const count = values.reduce((n, v) => n + requestsOf(v), 0);
        const openReads = values.reduce((n, v) => n + refusalReadsOf(v), 0);
        return values.length === 0 ? [] : [classCase(dataset, cls.name, probes, count, openReads)];
      }),
    ),
  );
}

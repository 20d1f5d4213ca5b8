/**
 * The oracle is consistent with what the run sends: every value a generator of the run sends as valid or open, when a
 * target accepts it and writes it back in any form BEHAVIOUR.md allows, passes every check. For each request field's
 * generator, a property: the value, echoed in a 200 Job as sent and in each other allowed form (a date-time as the
 * same instant in Z, +00:00 and another offset, its fraction with zeros added or dropped; a leap second likewise; an
 * enum string as its integer), judged with the run's own expectation (fieldCaseExpectation), gives no finding.
 */
import fc from 'fast-check';
import { buildArbitraries, type FieldCase } from '../../src/arbitraries';
import { loadContract } from '../../src/contract/load';
import { ALL_CHECKS } from '../../src/checks/registry';
import type { JobState } from '../../src/checks/types';
import { conformanceFacts, type ConformanceFacts } from '../../src/checks/facts';
import { evaluate } from '../../src/case/judge';
import { fieldCaseExpectation } from '../../src/cases/properties';
import type { Exchange } from '../../src/http/request';
import { createValidators } from '../../src/validation/validators';
import { instantOf, isRfc3339ResponseDateTime } from '../../src/validation/date-time';

const JOB_ID = 241;
/** The reference fixture's job 241, as a provider returns it (every Job property the schema has). */
const BEFORE: JobState = {
  id: JOB_ID,
  name: 'My New Job',
  creationStatus: 'COMPLETE',
  deliveredAt: '2021-06-03T13:43:00Z',
  status: 'active',
  due: '2021-06-03T13:43:00Z',
  isProcessing: 0,
  domains: [{ id: 3, name: 'Legal' }],
};

let facts: ConformanceFacts;
let fields: Readonly<Record<string, fc.Arbitrary<FieldCase<unknown>>>>;
beforeAll(async () => {
  const contract = await loadContract();
  facts = conformanceFacts(createValidators(contract));
  fields = buildArbitraries(contract).fields;
});

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The open forms BEHAVIOUR.md lets a provider accept (space for T, +hh, +hhmm), in RFC 3339, to read their instant. */
function asRfc3339(value: string): string {
  return value.replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T').replace(/([+-]\d{2})(\d{2})?$/, (_m, h: string, m?: string) => `${h}:${m ?? '00'}`);
}

/** The same instant written at `offsetMinutes` (a leap second stays second 60), or undefined outside years 0000-9999. */
function atOffset(value: string, offsetMinutes: number, fraction: (digits: string) => string): string | undefined {
  const instant = instantOf(asRfc3339(value));
  if (instant === undefined) return undefined;
  const local = new Date((instant.seconds + offsetMinutes * 60) * 1000);
  const year = local.getUTCFullYear();
  if (year < 0 || year > 9999) return undefined;
  const zone = offsetMinutes === 0 ? 'Z' : `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  const second = instant.leap ? 60 : local.getUTCSeconds();
  const digits = fraction(instant.fraction);
  return `${pad(year, 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(second)}${digits ? `.${digits}` : ''}${zone}`;
}

/** Every form BEHAVIOUR.md allows a provider to write the accepted value back in. */
function writtenBack(field: string, value: unknown, offsetMinutes: number): unknown[] {
  const schema = facts.jobProperties[field];
  if (schema?.type === 'integer' && (typeof value === 'number' || (typeof value === 'string' && /^-?\d+$/.test(value)))) {
    return [Number(value)];
  }
  if (facts.dateTimeFields.includes(field) && typeof value === 'string') {
    const asSent = isRfc3339ResponseDateTime(value) ? [value] : [];
    const same = (digits: string) => digits;
    const forms = [
      atOffset(value, 0, same),
      atOffset(value, 0, same)?.replace(/Z$/, '+00:00'),
      atOffset(value, offsetMinutes, same),
      atOffset(value, 0, (digits) => `${digits}000`.slice(0, Math.max(3, digits.length))),
      atOffset(value, offsetMinutes, (digits) => digits.replace(/0+$/, '')),
    ];
    return [...asSent, ...forms.filter((form): form is string => form !== undefined)];
  }
  return [value];
}

function echoed(field: string, sent: unknown, written: unknown): Exchange {
  const job = { ...BEFORE, [field]: written };
  return {
    request: { method: 'PUT', idSegment: String(JOB_ID), body: JSON.stringify({ [field]: sent }), contentType: 'application/json', auth: { kind: 'basic' } },
    response: { status: 200, headers: { 'content-type': 'application/json' }, contentType: 'application/json', text: JSON.stringify(job) },
    durationMs: 1,
  };
}

test('the request fields are all covered (a field the contract adds gets its property here too)', () => {
  expect(Object.keys(fields).sort()).toEqual(Object.keys(facts.requestFields).sort());
});

test.each(['name', 'due', 'isProcessing', 'processingErrorMsg'])(
  'every valid or open value of %s, accepted and written back in any allowed form, passes every check',
  (field) => {
    const arbitrary = fields[field];
    if (arbitrary === undefined) throw new Error(`no generator for ${field}`);
    const accepted = arbitrary.filter((c) => c.expectation !== 'reject');
    fc.assert(
      fc.property(accepted, fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }), (c, offset) => {
        const expectation = fieldCaseExpectation(facts, JOB_ID, field, c);
        for (const written of writtenBack(field, c.value, offset)) {
          const { findings } = evaluate(ALL_CHECKS, echoed(field, c.value, written), { facts, expect: expectation, before: BEFORE }, {
            route: { baseUrl: 'http://127.0.0.1:1', pathTemplate: '/v2/jobs/{jobId}', keyParameter: 'key' },
            group: 'consistency',
            case: c.label,
          });
          if (findings.length > 0) {
            throw new Error(`${c.label}: sent ${JSON.stringify(c.value)}, written back ${JSON.stringify(written)}: ${findings.map((f) => `${f.checkId}: ${f.actual}`).join('; ')}`);
          }
        }
      }),
      { numRuns: 400, seed: 20261130 },
    );
  },
);

test('the property can fail: a second 60 written back at a time no leap second can be (not 23:59 UTC) is refused', () => {
  const written = '2021-03-15T12:00:60Z';
  const { findings } = evaluate(
    ALL_CHECKS,
    echoed('due', '2016-12-31T23:59:60Z', written),
    { facts, expect: { kind: 'observe', rule: 'body.due-open-forms', ifAccepted: { jobId: JOB_ID, changes: {}, unjudged: ['due'] } }, before: BEFORE },
    { route: { baseUrl: 'http://127.0.0.1:1', pathTemplate: '/v2/jobs/{jobId}', keyParameter: 'key' }, group: 'consistency', case: 'x' },
  );
  expect(findings.map((f) => f.checkId)).toContain('schema.body-matches-schema');
});

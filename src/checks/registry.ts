/**
 * The registry: every check's declaration, one file each under its group's folder (src/checks/<group>/), in report
 * order. A run judges the checks its selection names (selection.ts: `--checks`, `--exclude-checks`). The judge runs
 * them on each exchange, each where its declaration applies; the unit tests run their examples
 * (tests/checks/check-examples.test.ts) and docs/checks.md is generated from them (tools/docs/checks-page.ts).
 */
import { answered } from './schema/answered';
import { bodyMatchesSchema } from './schema/body-matches-schema';
import { contentCodingKnown } from './schema/content-coding-known';
import { contentTypeDocumented } from './schema/content-type-documented';
import { noServerError } from './schema/no-server-error';
import { statusDocumented } from './schema/status-documented';
import { fieldsRoundTrip } from './semantics/fields-round-trip';
import { idMatchesPath } from './semantics/id-matches-path';
import { idempotent } from './semantics/idempotent';
import { noOpChangesNothing } from './semantics/no-op-changes-nothing';
import { otherFieldsKept } from './semantics/other-fields-kept';
import { otherJobsUnchanged } from './semantics/other-jobs-unchanged';
import { readOnlyIgnored } from './semantics/read-only-ignored';
import { updateAccepted } from './semantics/update-accepted';
import { invalidRejected } from './negative/invalid-rejected-4xx';
import { refusalChangesNothing } from './negative/refusal-changes-nothing';
import { invalidIdRejected } from './ids/invalid-rejected-4xx';
import { missingJob404 } from './ids/missing-404';
import { methodsAgree } from './auth/methods-agree';
import { unauthorized401 } from './auth/refused-401';
import { validKeyAccepted } from './auth/valid-key-accepted';
import type { Check } from './types';

export const ALL_CHECKS: readonly Check[] = [
  statusDocumented,
  noServerError,
  contentTypeDocumented,
  contentCodingKnown,
  bodyMatchesSchema,
  answered,
  updateAccepted,
  idMatchesPath,
  fieldsRoundTrip,
  otherFieldsKept,
  noOpChangesNothing,
  readOnlyIgnored,
  idempotent,
  otherJobsUnchanged,
  invalidRejected,
  refusalChangesNothing,
  missingJob404,
  invalidIdRejected,
  unauthorized401,
  validKeyAccepted,
  methodsAgree,
];

/**
 * Check ids before each carried its group's name: still accepted by --checks, --exclude-checks and a baseline file,
 * and read as the id they became.
 */
export const FORMER_IDS: Readonly<Record<string, string>> = {
  'response.status-documented': 'schema.status-documented',
  'response.no-server-error': 'schema.no-server-error',
  'response.content-type-documented': 'schema.content-type-documented',
  'response.content-coding-known': 'schema.content-coding-known',
  'response.body-matches-schema': 'schema.body-matches-schema',
  'response.answered': 'schema.answered',
  'update.accepted': 'semantics.update-accepted',
  'job.id-matches-path': 'semantics.id-matches-path',
  'update.fields-round-trip': 'semantics.fields-round-trip',
  'update.other-fields-kept': 'semantics.other-fields-kept',
  'update.no-op-changes-nothing': 'semantics.no-op-changes-nothing',
  'update.read-only-ignored': 'semantics.read-only-ignored',
  'update.idempotent': 'semantics.idempotent',
  'jobs.others-unchanged': 'semantics.other-jobs-unchanged',
  'invalid.rejected-4xx': 'negative.invalid-rejected-4xx',
  'refusal.job-unchanged': 'negative.refusal-changes-nothing',
  'id.missing-404': 'ids.missing-404',
  'id.invalid-rejected-4xx': 'ids.invalid-rejected-4xx',
};

/** A check id as it is now (a former id read as the id it became; anything else as given). */
export function currentCheckId(id: string): string {
  return FORMER_IDS[id] ?? id;
}

/** The checks of a selection, in registry order. */
export function checksFor(selection: { readonly ids: readonly string[] }): readonly Check[] {
  return ALL_CHECKS.filter((check) => selection.ids.includes(check.id));
}

export function checkById(id: string): Check | undefined {
  const current = currentCheckId(id);
  return ALL_CHECKS.find((check) => check.id === current);
}

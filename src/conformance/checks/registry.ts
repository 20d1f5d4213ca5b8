/**
 * The registry: every check's declaration, in report order. `--checks schema` keeps the `schema` group only. The
 * oracle runs all of them on each exchange, each where its declaration applies; the unit tests run their examples
 * (tests/conformance/check-examples.test.ts) and docs/checks.md is generated from them (src/docs/checks-page.ts).
 */
import type { CheckSelection } from '../../config/run-config';
import { RESPONSE_CHECKS } from './response';
import { SEMANTIC_CHECKS } from './semantics';
import { REFUSAL_CHECKS } from './refusals';
import type { Check } from './types';

export const ALL_CHECKS: readonly Check[] = [...RESPONSE_CHECKS, ...SEMANTIC_CHECKS, ...REFUSAL_CHECKS];

export function checksFor(selection: CheckSelection): readonly Check[] {
  return selection === 'schema' ? ALL_CHECKS.filter((check) => check.group === 'schema') : ALL_CHECKS;
}

export function checkById(id: string): Check | undefined {
  return ALL_CHECKS.find((check) => check.id === id);
}

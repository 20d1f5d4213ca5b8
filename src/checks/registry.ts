/**
 * The registry: every check's declaration, in report order. A run judges the checks its selection names
 * (selection.ts: `--checks`, `--exclude-checks`). The oracle runs them on each exchange, each where its declaration
 * applies; the unit tests run their examples (tests/conformance/check-examples.test.ts) and docs/checks.md is
 * generated from them (src/docs/checks-page.ts).
 */
import { RESPONSE_CHECKS } from './response';
import { SEMANTIC_CHECKS } from './semantics';
import { REFUSAL_CHECKS } from './refusals';
import type { Check } from './types';

export const ALL_CHECKS: readonly Check[] = [...RESPONSE_CHECKS, ...SEMANTIC_CHECKS, ...REFUSAL_CHECKS];

/** The checks of a selection, in registry order. */
export function checksFor(selection: { readonly ids: readonly string[] }): readonly Check[] {
  return ALL_CHECKS.filter((check) => selection.ids.includes(check.id));
}

export function checkById(id: string): Check | undefined {
  return ALL_CHECKS.find((check) => check.id === id);
}

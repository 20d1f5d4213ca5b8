/**
 * The document is the provider's, not ours: its known defects are acknowledged in a baseline file (each with a
 * reason) so that they are still shown but do not fail the lint, while anything new does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../contract/load';
import { UserError } from '../errors';
import type { LintFinding } from './types';

export const DEFAULT_BASELINE_FILE = path.join(PROJECT_ROOT, 'contracts', 'lint-baseline.json');

export interface BaselineEntry {
  readonly rule: string;
  readonly pointer: string;
  readonly reason: string;
}

export function loadBaseline(file: string): BaselineEntry[] {
  const shown = path.relative(process.cwd(), file) || file;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(`${shown}: cannot read the lint baseline: ${reason}`);
  }
  const entries = (parsed as { acknowledged?: unknown })?.acknowledged;
  if (!Array.isArray(entries)) {
    throw new UserError(`${shown}: expected {"acknowledged": [{"rule", "pointer", "reason"}, ...]}`);
  }
  return entries.map((entry: unknown, i) => {
    const e = entry as Partial<Record<keyof BaselineEntry, unknown>>;
    for (const key of ['rule', 'pointer', 'reason'] as const) {
      if (typeof e?.[key] !== 'string' || (e[key] as string).trim() === '') {
        throw new UserError(`${shown}: acknowledged[${i}].${key} must be a non-empty string`);
      }
    }
    return { rule: e.rule as string, pointer: e.pointer as string, reason: e.reason as string };
  });
}

export function matches(entry: BaselineEntry, finding: LintFinding): boolean {
  return entry.rule === finding.rule && entry.pointer === finding.pointer;
}

/**
 * Which checks a run judges: `--checks` and `--exclude-checks` name groups (`schema`, `semantics`, `negative`, `ids`,
 * `auth`), check ids (`auth.refused-401`), or `all`, in comma lists. The selection is the checks named by `--checks`
 * (default `all`) less those named by `--exclude-checks`. Nothing here reads flags or the environment: run-config.ts
 * passes the two texts in and turns a refusal into the one-line usage error.
 */
import { ALL_CHECKS, currentCheckId } from './registry';
import { CHECK_GROUPS, type CheckGroup } from './types';

export interface CheckSelection {
  /** The selected checks' ids, in registry (report) order; never empty. */
  readonly ids: readonly string[];
  /** The groups with at least one selected check, in report order. */
  readonly groups: readonly CheckGroup[];
  /** How it was asked for, for people: `all`, `schema`, `semantics,auth.refused-401 except semantics.idempotent`. */
  readonly text: string;
}

export type SelectionOutcome =
  | { readonly kind: 'selected'; readonly selection: CheckSelection }
  /** Names that are neither `all`, a group nor a check id; `which` says whether they came from the include or the exclude list. */
  | { readonly kind: 'unknown'; readonly which: 'include' | 'exclude'; readonly names: readonly string[] }
  | { readonly kind: 'empty' };

/** Every name a list may hold, for the error that lists them. */
export function knownCheckNames(): string[] {
  return ['all', ...CHECK_GROUPS, ...ALL_CHECKS.map((check) => check.id)];
}

function namesOf(text: string): string[] {
  return text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** The ids a list names (undefined for an unknown name; the caller reports them all at once). */
function idsNamed(name: string): readonly string[] | undefined {
  if (name === 'all') return ALL_CHECKS.map((check) => check.id);
  if ((CHECK_GROUPS as readonly string[]).includes(name)) return ALL_CHECKS.filter((check) => check.group === name).map((check) => check.id);
  // A former id (before ids carried their group's name) is read as the id it became.
  const id = currentCheckId(name);
  return ALL_CHECKS.some((check) => check.id === id) ? [id] : undefined;
}

export function selectChecks(include: string | undefined, exclude: string | undefined): SelectionOutcome {
  const included = namesOf(include ?? 'all');
  const excluded = namesOf(exclude ?? '');
  for (const [which, names] of [['include', included.length === 0 ? ['all'] : included], ['exclude', excluded]] as const) {
    const unknown = names.filter((name) => idsNamed(name) === undefined);
    if (unknown.length > 0) return { kind: 'unknown', which, names: [...new Set(unknown)] };
  }
  const wanted = new Set((included.length === 0 ? ['all'] : included).flatMap((name) => idsNamed(name) ?? []));
  for (const name of excluded) for (const id of idsNamed(name) ?? []) wanted.delete(id);
  const checks = ALL_CHECKS.filter((check) => wanted.has(check.id));
  if (checks.length === 0) return { kind: 'empty' };
  const includeText = included.length === 0 ? 'all' : included.join(',');
  return {
    kind: 'selected',
    selection: {
      ids: checks.map((check) => check.id),
      groups: CHECK_GROUPS.filter((group) => checks.some((check) => check.group === group)),
      text: excluded.length === 0 ? includeText : `${includeText} except ${excluded.join(',')}`,
    },
  };
}

/** Every check: the default. */
export const ALL_SELECTED: CheckSelection = (() => {
  const outcome = selectChecks('all', undefined);
  if (outcome.kind !== 'selected') throw new Error('the registry is empty');
  return outcome.selection;
})();

/** Whether the selection is every check. */
export function selectsAll(selection: CheckSelection): boolean {
  return selection.ids.length === ALL_CHECKS.length;
}

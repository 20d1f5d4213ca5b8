/**
 * Findings grouped for people: the same check broken the same way (the same expected, the same kind of actual) is
 * one entry with a count, the first few findings whole as examples, and the cases it occurred in (each with its count,
 * and a property's replay). One schema fault fails its check on every response, a few hundred findings; it is one
 * group here. The kind of a text is the text with its values replaced by what they are (`"241"` -> `<string>`,
 * `242` -> `<number>`; a status code stays, `status 500` and `status 400` are different kinds).
 */
import type { CheckGroup } from '../checks/types';
import type { Acknowledgement } from '../case/baseline';
import type { Advisory, Finding, Replay } from '../case/finding';

/** Examples kept whole per group. */
export const EXAMPLES_PER_PATTERN = 3;

export interface Occurrence {
  readonly group: string;
  readonly case: string;
  /** Findings of the group in this case. */
  readonly count: number;
  /** A property's counterexample: what replays it. */
  readonly replay?: Replay;
}

export interface FindingPattern {
  readonly checkId: string;
  readonly checkGroup: CheckGroup;
  readonly rule: string;
  /** The first finding's expected (the others differ from it in values at most). */
  readonly expected: string;
  /** The kind of actual the findings share. */
  readonly actualKind: string;
  readonly count: number;
  /** The first EXAMPLES_PER_GROUP findings, whole. */
  readonly examples: readonly Finding[];
  /** The cases it occurred in, in the order met. */
  readonly occurrences: readonly Occurrence[];
  /** The baseline entry that acknowledges every finding of the group (findings it does not are another group). */
  readonly acknowledged?: Acknowledgement;
  /** Where its rules come from: the sources every finding of the group names (the check's own, at least). */
  readonly sources: readonly string[];
  /** The advice, for a group of advisories. */
  readonly advisory?: Advisory;
}

const TRUNCATED_STRING = /"(?:[^"\\]|\\.)*?\.\.\. \(\d+ chars(?: in all)?\)/g;
const STRING = /"(?:[^"\\]|\\.)*"/g;
/** A number standing alone (not inside a word like v2 or int32, not a status code). */
const NUMBER = /(?<!status )(?<![\w.$-])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.])/g;

/** The text with its values replaced by their kinds. */
export function kindOf(text: string): string {
  return text
    .replace(TRUNCATED_STRING, '<string>')
    .replace(STRING, '<string>')
    .replace(NUMBER, '<number>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 400);
}

/** What makes two findings the same group. */
export function patternKey(finding: Pick<Finding, 'checkId' | 'expected' | 'actual' | 'acknowledged' | 'advisory'>): string {
  return JSON.stringify([finding.checkId, kindOf(finding.expected), kindOf(finding.actual), finding.acknowledged?.entry ?? null, finding.advisory?.id ?? null]);
}

/** Up to EXAMPLES_PER_GROUP findings, from as many different cases as there are. */
function examplesOf(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  const firstOfEach = findings.filter((f) => {
    const where = `${f.group}\u0000${f.case}`;
    if (seen.has(where)) return false;
    seen.add(where);
    return true;
  });
  const rest = findings.filter((f) => !firstOfEach.includes(f));
  return [...firstOfEach, ...rest].slice(0, EXAMPLES_PER_PATTERN);
}

function occurrencesOf(findings: readonly Finding[]): Occurrence[] {
  const byCase = new Map<string, { group: string; case: string; count: number; replay?: Replay }>();
  for (const f of findings) {
    const where = `${f.group}\u0000${f.case}`;
    const occurrence = byCase.get(where) ?? { group: f.group, case: f.case, count: 0 };
    occurrence.count += 1;
    if (f.replay !== undefined && occurrence.replay === undefined) occurrence.replay = f.replay;
    byCase.set(where, occurrence);
  }
  return [...byCase.values()];
}

/** Groups in the order of `order` (check ids, the report's order), then most frequent first. */
export function patternsOf(findings: readonly Finding[], order: readonly string[]): FindingPattern[] {
  const byKey = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = patternKey(finding);
    const list = byKey.get(key) ?? [];
    list.push(finding);
    byKey.set(key, list);
  }
  const rank = (id: string) => {
    const i = order.indexOf(id);
    return i === -1 ? order.length : i;
  };
  return [...byKey.values()]
    .map((list): FindingPattern => {
      const first = list[0] as Finding;
      return {
        checkId: first.checkId,
        checkGroup: first.checkGroup,
        rule: first.rule,
        expected: first.expected,
        actualKind: kindOf(first.actual),
        count: list.length,
        examples: examplesOf(list),
        occurrences: occurrencesOf(list),
        sources: first.sources.filter((source) => list.every((f) => f.sources.includes(source))),
        ...(first.acknowledged === undefined ? {} : { acknowledged: first.acknowledged }),
        ...(first.advisory === undefined ? {} : { advisory: first.advisory }),
      };
    })
    // failing groups first (in report order), then the acknowledged ones
    .sort(
      (a, b) =>
        Number(a.acknowledged !== undefined) - Number(b.acknowledged !== undefined) || rank(a.checkId) - rank(b.checkId) || b.count - a.count,
    );
}

/** The property counterexamples among a group's cases (each replays on its own). */
export function replaysOf(group: FindingPattern): Replay[] {
  return group.occurrences.flatMap((o) => (o.replay === undefined ? [] : [o.replay]));
}

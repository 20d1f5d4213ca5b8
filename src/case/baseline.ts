/**
 * Acknowledged deviations (`--baseline FILE`): a team's staging may break a check it knows about; the baseline names
 * it, with a reason and maybe an expiry date, so that the finding is still shown (as acknowledged) but no longer fails
 * the run, while anything new does. The file has the spec lint's shape (contracts/lint-baseline.json):
 *
 *   { "acknowledged": [
 *       { "check": "semantics.id-matches-path", "actual": "id \"*\"", "reason": "PLAT-123: ids are strings until v3",
 *         "expires": "2026-06-30" } ] }
 *
 * `check` is a check id; `case` (optional; `scenario` in older files) a pattern on the case, matched against its name and against
 * "group › name"; `actual` (optional) a pattern on what came back (the finding's actual); in both, `*` stands for any
 * text and everything else is literal. `expires` (optional, YYYY-MM-DD) is the last day the entry acknowledges
 * anything; after it the entry is reported as expired and its findings fail again. An entry that acknowledged nothing
 * in a run is reported as stale. `--write-baseline FILE` writes one from a run's findings (writeBaseline below).
 */
import * as fs from 'node:fs';
import { UserError } from '../errors';
import { currentCheckId } from '../checks/registry';
import type { Acknowledgement, Finding } from './finding';

export type { Acknowledgement } from './finding';

export interface BaselineEntry {
  readonly check: string;
  readonly case?: string;
  readonly actual?: string;
  readonly reason: string;
  /** YYYY-MM-DD: the last day it acknowledges. */
  readonly expires?: string;
}

export interface LoadedEntry extends BaselineEntry {
  /** Its place in the file's list, from 0. */
  readonly index: number;
  /** Past its expiry date on the day of the run: it acknowledges nothing. */
  readonly expired: boolean;
}

export interface Baseline {
  /** The file as given. */
  readonly file: string;
  readonly entries: readonly LoadedEntry[];
}


/** An entry's fields; `scenario` is the older name of `case`, still read. */
const FIELDS = ['check', 'case', 'scenario', 'actual', 'reason', 'expires'] as const;
/** Fields of the file itself besides the list (ignored). */
const FILE_FIELDS = ['about', 'acknowledged'];
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A YYYY-MM-DD date that exists (2026-02-30 does not). */
function isDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** The UTC day of `now`, YYYY-MM-DD. */
export function dayOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Reads and checks a baseline file. Anything wrong (unreadable, not JSON, not the shape, an unknown check or field,
 * a date that is not YYYY-MM-DD) is one line naming the file, exit 2, before anything is sent.
 */
export function loadBaseline(file: string, knownChecks: readonly string[], today: string, shownAs = '--baseline'): Baseline {
  const fail = (what: string): never => {
    throw new UserError(`${shownAs} ${file}: ${what}`);
  };
  // Not `instanceof Error`: under jest, fs errors come from another realm.
  const messageOf = (error: unknown) => String((error as { message?: unknown } | null)?.message ?? error).split('\n')[0];
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    return fail(code === 'ENOENT' ? 'no such file' : `cannot read it: ${messageOf(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail(`not JSON: ${messageOf(error)}`);
  }
  const list = (parsed as { acknowledged?: unknown } | null)?.acknowledged;
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(list)) {
    return fail('expected {"acknowledged": [{"check", "reason", optional "case", "actual", "expires"}, ...]}');
  }
  const extra = Object.keys(parsed).find((key) => !FILE_FIELDS.includes(key));
  if (extra !== undefined) return fail(`unknown field '${extra}'; a baseline has "acknowledged" (and an optional "about")`);
  const entries = list.map((raw: unknown, index): LoadedEntry => {
    const at = `acknowledged[${index}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(`${at} must be an object`);
    const entry = raw as Record<string, unknown>;
    const unknownField = Object.keys(entry).find((key) => !(FIELDS as readonly string[]).includes(key));
    if (unknownField !== undefined) return fail(`${at} has an unknown field '${unknownField}'; the fields are ${FIELDS.join(', ')}`);
    for (const key of FIELDS) {
      const value = entry[key];
      const required = key === 'check' || key === 'reason';
      if (value === undefined && !required) continue;
      if (typeof value !== 'string' || value.trim() === '') return fail(`${at}.${key} must be a non-empty string`);
    }
    // A former check id (before ids carried their group's name) is read as the id it became.
    const check = currentCheckId(entry.check as string);
    if (!knownChecks.includes(check)) return fail(`${at} names an unknown check '${check}'; known: ${knownChecks.join(', ')}`);
    const expires = entry.expires as string | undefined;
    if (expires !== undefined && !isDate(expires)) return fail(`${at}.expires must be a date YYYY-MM-DD (got '${expires}')`);
    return {
      check,
      ...(entry.case === undefined && entry.scenario === undefined ? {} : { case: (entry.case ?? entry.scenario) as string }),
      ...(entry.actual === undefined ? {} : { actual: entry.actual as string }),
      reason: entry.reason as string,
      ...(expires === undefined ? {} : { expires }),
      index,
      expired: expires !== undefined && expires < today,
    };
  });
  return { file, entries };
}

/**
 * A pattern where `*` is any text (possibly none) and everything else literal, matched against the whole text with
 * its runs of whitespace as one space. (Glob libraries treat `/` as a path separator; actuals are JSON pointers.)
 */
export function patternMatches(pattern: string, text: string): boolean {
  const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
  const source = flat(pattern)
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(flat(text));
}

export function entryMatches(entry: BaselineEntry, finding: Pick<Finding, 'checkId' | 'group' | 'case' | 'actual'>): boolean {
  if (entry.check !== finding.checkId) return false;
  if (
    entry.case !== undefined &&
    !patternMatches(entry.case, finding.case) &&
    !patternMatches(entry.case, `${finding.group} › ${finding.case}`)
  ) {
    return false;
  }
  return entry.actual === undefined || patternMatches(entry.actual, finding.actual);
}

/** The first entry in force that matches, as the finding's acknowledgement. */
export function acknowledgementOf(baseline: Baseline | undefined, finding: Finding): Acknowledgement | undefined {
  const entry = baseline?.entries.find((e) => !e.expired && entryMatches(e, finding));
  if (entry === undefined) return undefined;
  return { entry: entry.index, reason: entry.reason, ...(entry.expires === undefined ? {} : { expires: entry.expires }) };
}

/** The record with each finding an entry acknowledges marked so (the others as they were). */
export function acknowledgeRecord<R extends { readonly findings: readonly Finding[] }>(record: R, baseline: Baseline | undefined): R {
  if (baseline === undefined || record.findings.length === 0) return record;
  return {
    ...record,
    findings: record.findings.map((finding) => {
      const acknowledged = acknowledgementOf(baseline, finding);
      return acknowledged === undefined ? finding : { ...finding, acknowledged };
    }),
  };
}

/** Whether a finding fails the run: every finding but an acknowledged one and an advisory (unless --fail-on-advisory). */
export function failsTheRun(finding: Finding): boolean {
  return finding.acknowledged === undefined && (finding.advisory === undefined || finding.advisory.failsTheRun);
}

/** What the baseline came to in a run: what it acknowledged, and its entries that are stale or expired. */
export interface BaselineOutcome {
  readonly file: string;
  readonly acknowledged: number;
  /** In force, for a selected check, and matched nothing this run. */
  readonly stale: readonly LoadedEntry[];
  readonly expired: readonly LoadedEntry[];
}

export function baselineOutcome(baseline: Baseline, findings: readonly Finding[], selectedChecks: readonly string[]): BaselineOutcome {
  const used = new Set(findings.flatMap((f) => (f.acknowledged === undefined ? [] : [f.acknowledged.entry])));
  return {
    file: baseline.file,
    acknowledged: findings.filter((f) => f.acknowledged !== undefined).length,
    stale: baseline.entries.filter((e) => !e.expired && selectedChecks.includes(e.check) && !used.has(e.index)),
    expired: baseline.entries.filter((e) => e.expired),
  };
}

/** An entry in words: "#2 semantics.id-matches-path, actual id "*" (reason)". */
export function describeEntry(entry: LoadedEntry): string {
  const parts = [`#${entry.index + 1} ${entry.check}`];
  if (entry.case !== undefined) parts.push(`case ${entry.case}`);
  if (entry.actual !== undefined) parts.push(`actual ${entry.actual}`);
  return `${parts.join(', ')} (${entry.reason}${entry.expires === undefined ? '' : `; expires ${entry.expires}`})`;
}

export const WRITTEN_REASON = 'TODO: say why this deviation is accepted, and by whom (written by --write-baseline)';

/**
 * Acknowledged deviations (`--baseline FILE`), as a file: its entries read and checked once, at the edge, with the
 * rest of the configuration (src/case/baseline.ts matches them against a run's findings). The file has the spec
 * lint's shape (contracts/lint-baseline.json):
 *
 *   { "acknowledged": [
 *       { "check": "semantics.id-matches-path", "actual": "id \"*\"", "reason": "PLAT-123: ids are strings until v3",
 *         "expires": "2026-06-30" } ] }
 *
 * `check` is a check id (a former id is read as the id it became); `case` (optional; `scenario` in older files) a
 * pattern on the case, matched against its name and against "group › name"; `actual` (optional) a pattern on what
 * came back (the finding's actual); in both, `*` stands for any text and everything else is literal. `expires`
 * (optional, YYYY-MM-DD) is the last day the entry acknowledges anything; after it the entry is reported as expired
 * and its findings fail again.
 */
import * as fs from 'node:fs';
import { UserError } from '../errors';
import { currentCheckId } from '../checks/registry';

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


/**
 * The one place a run's verdict is decided. "conformant" only when every planned case ran to its end and no check
 * failed; a case cut short, a target that stopped answering, or an interruption give no verdict (unless checks
 * already failed, which stands whatever else happened).
 */
import { failsTheRun } from '../case/baseline';
import type { CaseRecord } from '../case/record';
import { START_UP_GROUP } from './session/session';
import { describeStop } from './stop';
import type { StopReason, Verdict } from './types';

export function verdictOf(records: readonly CaseRecord[], planned: number, targetDown: string | undefined, stopped: StopReason | undefined): Verdict {
  // An acknowledged finding (--baseline) and an advisory are shown but fail nothing.
  const failedChecks = [...new Set(records.flatMap((r) => r.findings.filter(failsTheRun).map((f) => f.checkId)))].sort();
  if (stopped !== undefined) return { kind: 'no-verdict', reason: describeStop(stopped) };
  if (targetDown !== undefined) return { kind: 'no-verdict', reason: `the target stopped answering (${targetDown})` };
  if (failedChecks.length > 0) return { kind: 'not-conformant', failedChecks };
  const cut = records.filter((r) => r.error !== undefined).length;
  const ran = records.filter((r) => r.group !== START_UP_GROUP).length;
  if (cut > 0) return { kind: 'no-verdict', reason: `${cut} case(s) were cut short` };
  if (ran < planned) return { kind: 'no-verdict', reason: `${planned - ran} of ${planned} planned case(s) did not run` };
  return { kind: 'conformant' };
}

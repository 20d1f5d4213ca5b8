/**
 * The end of a run, before its verdict: the findings that are only about properties that changed (Finding.about) may
 * be a live job's own movement rather than a request's doing (src/case/live.ts). Each job they name is read,
 * and nothing else sent to it, until every such property has moved or the watch's budget is spent; then the findings
 * whose properties all moved on their own are withdrawn (and named in the result), the others stand.
 */
import type { RunConfig } from '../config/run-config';
import type { ValidAuth } from '../http/request';
import { readRequest } from '../case/reads';
import type { Transport } from '../http/transport';
import { jobOf } from '../checks/values';
import type { ConformanceFacts } from '../checks/facts';
import type { Finding } from '../case/finding';
import { settleGaps, type LiveProperties, type SettleBudget } from '../case/live';
import type { CaseRecord, CheckTally } from '../case/record';

/** The properties each job's findings are about that may still turn out to be live. */
export function suspects(records: readonly CaseRecord[], live: LiveProperties): Map<number, Set<string>> {
  const byJob = new Map<number, Set<string>>();
  for (const finding of records.flatMap((r) => r.findings)) {
    const about = finding.about;
    if (about === undefined || !live.maybeLive(finding)) continue;
    const moving = live.movingOn(about.jobId);
    const open = about.properties.filter((p) => !moving.has(p));
    if (open.length === 0) continue;
    const set = byJob.get(about.jobId) ?? new Set<string>();
    for (const p of open) set.add(p);
    byJob.set(about.jobId, set);
  }
  return byJob;
}

export interface SettleDeps {
  readonly transport: Transport;
  readonly facts: ConformanceFacts;
  readonly auth: ValidAuth['kind'];
  readonly config: RunConfig;
  /** How long the run has taken so far: the watch takes a quarter of it, between 2 and 30 s. */
  readonly elapsedMs: number;
}

/** The watch's budget: 64 reads at most, at the run's pace, over a quarter of the run's time (2 to 30 s). */
export function settleBudget(config: RunConfig, elapsedMs: number): SettleBudget {
  const minGapMs = config.rate.kind === 'per-minute' ? Math.ceil(60_000 / config.rate.perMinute) : 0;
  return { maxReads: 64, maxMs: Math.min(30_000, Math.max(2_000, Math.round(elapsedMs / 4))), minGapMs };
}

/** Watches each job with suspect findings (reads only); returns the reads it sent. */
export async function settleLive(records: readonly CaseRecord[], live: LiveProperties, deps: SettleDeps): Promise<number> {
  let sent = 0;
  for (const [jobId, properties] of suspects(records, live)) {
    const request = readRequest(deps.facts, jobId, { kind: deps.auth });
    const gaps = [0, ...settleGaps(settleBudget(deps.config, deps.elapsedMs))];
    for (const gap of gaps) {
      if ([...properties].every((p) => live.movingOn(jobId).has(p))) break;
      if (gap > 0) await new Promise((resolve) => setTimeout(resolve, gap));
      const ticket = live.sent(request);
      const outcome = await deps.transport.sendOnce(request, deps.config.timeoutMs);
      sent += 1;
      const job = outcome.kind === 'response' && outcome.exchange.response.status === 200 ? jobOf(outcome.exchange.response) : undefined;
      live.answered(ticket, job);
      if (outcome.kind !== 'response') break; // the target stopped answering: what was seen stands
    }
  }
  return sent;
}

/** The records without the findings whose properties all move on their own, and those findings. */
export function withdrawLive(records: readonly CaseRecord[], live: LiveProperties): { records: CaseRecord[]; withdrawn: Finding[] } {
  const withdrawn: Finding[] = [];
  const kept = records.map((record) => {
    const out = record.findings.filter((f) => f.about !== undefined && live.allLive(f.about.jobId, f.about.properties));
    if (out.length === 0) return record;
    withdrawn.push(...out);
    const tallies: Record<string, CheckTally> = {};
    for (const [checkId, tally] of Object.entries(record.tallies)) tallies[checkId] = { ...tally };
    // A finding that fails nothing (an advisory) was never a failing verdict.
    for (const f of out) {
      const tally = tallies[f.checkId];
      if (tally !== undefined && f.advisory === undefined && tally.fail > 0) tally.fail -= 1;
    }
    return { ...record, tallies, findings: record.findings.filter((f) => !out.includes(f)) };
  });
  return { records: kept, withdrawn };
}

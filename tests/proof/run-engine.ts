/**
 * Runs the conformance engine in this process, the way the CLI would with these arguments (the same parse, the same
 * resolve, the same exit-code mapping), and reads back what it decided: the exit code, the checks that failed, and
 * the reason when there is no verdict. A run is a function call: no child process, no tsx start-up, no report files.
 */
import { parseArgs } from '../../src/config/flags';
import { resolveRunConfig } from '../../src/config/run-config';
import { loadContract } from '../../src/contract/load';
import { exitCodeOf } from '../../src/cli/conformance';
import { failsTheRun } from '../../src/case/baseline';
import { runConformance } from '../../src/run/run';
import { UserError } from '../../src/errors';

/** A finding as the proof reads it: its check, and the exchange it judged. */
export interface FindingSummary {
  readonly checkId: string;
  readonly status: number | undefined;
  readonly body: string | undefined;
  /** The body of the request it judged. */
  readonly requestBody: string | undefined;
}

export interface EngineOutcome {
  readonly exitCode: number;
  /** Check ids with at least one finding that fails the run, sorted, without repeats. */
  readonly failedChecks: readonly string[];
  /** The advice of the advisories the run reported (they fail nothing unless --fail-on-advisory), sorted, once each. */
  readonly advisories: readonly string[];
  /** Why there is no verdict (a start-up error's line, or the verdict's reason); '' otherwise. */
  readonly reason: string;
  readonly requests: number;
  readonly wallMs: number;
  /** Every finding, whole (findings.json groups them and keeps a few examples per group). */
  readonly findings: readonly FindingSummary[];
}

export async function runEngine(args: readonly string[]): Promise<EngineOutcome> {
  const started = Date.now();
  const ignore = () => undefined;
  const parsed = parseArgs(args, { out: ignore, err: ignore });
  if (parsed.kind === 'printed') throw new Error('runEngine: --help or --version is not a run');
  const contract = await loadContract();
  try {
    const { config, secrets } = resolveRunConfig(parsed.raw, {}, contract);
    const result = await runConformance({ config, apiKey: secrets.apiKey, contract });
    const all = result.cases.flatMap((c) => c.findings);
    const failedChecks = [...new Set(all.filter(failsTheRun).map((f) => f.checkId))].sort();
    const advisories = [...new Set(all.flatMap((f) => (f.advisory === undefined ? [] : [f.advisory.id])))].sort();
    return {
      exitCode: exitCodeOf(result),
      failedChecks,
      advisories,
      reason: result.verdict.kind === 'no-verdict' ? result.verdict.reason : '',
      requests: result.counters.sent,
      wallMs: Date.now() - started,
      findings: result.cases.flatMap((c) =>
        c.findings.map((f) => ({ checkId: f.checkId, status: f.response.status, body: f.response.body, requestBody: f.request.body })),
      ),
    };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { exitCode: error.exitCode, failedChecks: [], advisories: [], reason: error.message, requests: 0, wallMs: Date.now() - started, findings: [] };
  }
}

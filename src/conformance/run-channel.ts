/**
 * The run directory: how the CLI (or jest's global setup) and the suites talk. The CLI writes the active run
 * (target, job, where the key is NOT: it travels only in LILT_API_KEY); the suites append one JSON line per case
 * (verdicts and findings, as data), keep request counters, and mark the target down. The reports read it back.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunConfig } from '../config/run-config';
import type { Contract } from '../contract/load';
import type { ValidAuth } from '../http/request';
import type { TargetHealth, TransportCounters } from '../http/transport';
import type { Finding } from './finding';

/** The environment variable carrying the active run (JSON) to the jest suites. */
export const RUN_ENV = 'LILT_CONFORMANCE_RUN';
/** The key travels in this variable only. */
export const KEY_ENV = 'LILT_API_KEY';

export interface ActiveRun {
  readonly config: RunConfig;
  /** Base URL actually targeted (the reference provider's, when it was started in-process). */
  readonly targetUrl: string;
  readonly targetLabel: string;
  readonly jobId: number;
  readonly missingJobId: number;
  /** The valid auth method that read the job at start-up (Basic where it works). */
  readonly preferredAuth: ValidAuth['kind'];
  readonly runDir: string;
  /** The document's wait after a 429, in ms. */
  readonly throttleWaitMs: number;
  /** The request body's properties (one property test each), from the contract. */
  readonly requestFields: readonly string[];
}

export interface CheckTally {
  pass: number;
  fail: number;
}

/** One jest test (a scenario or a property): what each check said, and what failed. */
export interface CaseRecord {
  readonly type: 'case';
  readonly suite: string;
  readonly scenario: string;
  readonly tallies: Readonly<Record<string, CheckTally>>;
  readonly findings: readonly Finding[];
  /** Why the case could not finish (the target stopped answering, ...). */
  readonly error?: string;
  readonly requests: number;
}

const RECORDS = 'records.jsonl';
const DOWN = 'target-down.txt';
const COUNTERS = 'counters';
const CONTRACT = 'contract.json';

export function readActiveRun(env: NodeJS.ProcessEnv = process.env): ActiveRun {
  const text = env[RUN_ENV];
  if (text === undefined) {
    throw new Error(
      `${RUN_ENV} is not set: run the suites with "npm run conformance", or "npx jest -c src/conformance/jest.config.ts" (its global setup sets it)`,
    );
  }
  return JSON.parse(text) as ActiveRun;
}

export function appendCase(runDir: string, record: CaseRecord): void {
  fs.appendFileSync(path.join(runDir, RECORDS), `${JSON.stringify(record)}\n`);
}

export function readCases(runDir: string): CaseRecord[] {
  const file = path.join(runDir, RECORDS);
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CaseRecord);
}

/**
 * The contract as the session loaded and validated it. Each suite file starts with a fresh module registry (jest), and
 * validating the document against the OpenAPI schema again cost ~130 ms per file; reading this back costs a few.
 * It also pins every suite to the very document the run started with.
 */
export function writeContract(runDir: string, contract: Contract): void {
  fs.writeFileSync(path.join(runDir, CONTRACT), JSON.stringify(contract));
}

/**
 * What the run wrote in its directory, for the key scan: everything but the contract snapshot, which is the run's
 * input (a short key that happens to be a word of the document must not read as a leak).
 */
export function writtenRunPaths(runDir: string): string[] {
  if (!fs.existsSync(runDir)) return [];
  return fs
    .readdirSync(runDir)
    .filter((name) => name !== CONTRACT)
    .map((name) => path.join(runDir, name));
}

/** Undefined when the run directory has none (an older run directory): then load the document as usual. */
export function readContract(runDir: string): Contract | undefined {
  const file = path.join(runDir, CONTRACT);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Contract) : undefined;
}

export function fileHealth(runDir: string): TargetHealth {
  const file = path.join(runDir, DOWN);
  let known: string | undefined;
  return {
    downReason() {
      if (known === undefined && fs.existsSync(file)) known = fs.readFileSync(file, 'utf8');
      return known;
    },
    markDown(reason) {
      if (!fs.existsSync(file)) fs.writeFileSync(file, reason);
      known ??= fs.readFileSync(file, 'utf8');
    },
  };
}

export function targetDownReason(runDir: string): string | undefined {
  return fileHealth(runDir).downReason();
}

/** Each suite keeps its own counters file (no write contention); progress sums them. */
export function writeCounters(runDir: string, suite: string, counters: Readonly<TransportCounters>): void {
  const dir = path.join(runDir, COUNTERS);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${suite}-${process.pid}.json`), JSON.stringify(counters));
}

export interface CountersWriter {
  /** The latest counters: written now if the last write is `intervalMs` old, else at most `intervalMs` later. */
  update(counters: Readonly<TransportCounters>): void;
  /** Writes the latest counters now, if not yet written (at the end of a suite: the summary needs exact counts). */
  flush(): void;
}

/** A suite's counters file, written at most every `intervalMs` (a write per request cost a fifth of the run's CPU). */
export function countersWriter(runDir: string, suite: string, intervalMs = 250): CountersWriter {
  let latest: Readonly<TransportCounters> | undefined;
  let lastWrite = 0;
  let timer: NodeJS.Timeout | undefined;
  const write = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (latest === undefined) return;
    writeCounters(runDir, suite, latest);
    latest = undefined;
    lastWrite = Date.now();
  };
  return {
    update(counters) {
      latest = { ...counters };
      const wait = lastWrite + intervalMs - Date.now();
      if (wait <= 0) write();
      else timer ??= setTimeout(write, wait).unref();
    },
    flush: write,
  };
}

export function sumCounters(runDir: string): TransportCounters {
  const total: TransportCounters = { sent: 0, throttled: 0, timeouts: 0 };
  const dir = path.join(runDir, COUNTERS);
  if (!fs.existsSync(dir)) return total;
  for (const name of fs.readdirSync(dir)) {
    try {
      const c = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as TransportCounters;
      total.sent += c.sent;
      total.throttled += c.throttled;
      total.timeouts += c.timeouts;
    } catch {
      // a counters file being rewritten: the next read has it
    }
  }
  return total;
}

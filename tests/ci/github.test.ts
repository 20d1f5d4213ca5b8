/**
 * The GitHub integration works as written: the example workflow and the reusable action pass a maintained schema
 * validator (@action-validator/cli); the action calls the CLI only with flags and LILT_* variables the CLI has, uses
 * every input it declares, and runs the CLI of its own version; its script runs (against a reference provider, with a
 * stand-in for the installed command); every workflow step that runs the CLI gets the target, the key and the job;
 * the pact is verified from pacts/ or published before it is verified from the broker; and the JUnit action gets the
 * permission it writes with.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildCommand } from '../../src/config/flags';
import { OPTION_ENV, REPLAY_ENV } from '../../src/config/run-config';
import { PROJECT_ROOT } from '../../src/contract/load';
import { startReferenceProvider } from '../../src/provider';
import { cleanEnv, cliShellLine } from '../helpers/cli';

// js-yaml is installed with @apidevtools/swagger-parser (a runtime dependency); typed here for the one call used.
const yaml = require('js-yaml') as { load(text: string): unknown };

const VALIDATOR = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'action-validator');
const ACTION_FILE = path.join(PROJECT_ROOT, 'action.yml');
const WORKFLOW_DIR = path.join(PROJECT_ROOT, '.github', 'workflows');
const WORKFLOWS = fs
  .readdirSync(WORKFLOW_DIR)
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => path.join(WORKFLOW_DIR, name));

type Env = Record<string, string>;
interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly shell?: string;
  readonly env?: Env;
  readonly with?: Record<string, string>;
  readonly if?: string;
}
interface Job {
  readonly env?: Env;
  readonly permissions?: Record<string, string>;
  readonly steps: readonly Step[];
}
interface Workflow {
  readonly env?: Env;
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}
interface Action {
  readonly inputs: Record<string, { readonly default?: string; readonly required?: boolean }>;
  readonly runs: { readonly using: string; readonly steps: readonly Step[] };
}

const load = <T>(file: string): T => yaml.load(fs.readFileSync(file, 'utf8')) as T;
const relative = (file: string) => path.relative(PROJECT_ROOT, file);

function validate(file: string): { status: number | null; output: string } {
  const run = spawnSync(VALIDATOR, [file], { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('the schema validator', () => {
  test.each([ACTION_FILE, ...WORKFLOWS].map(relative))('%s is valid', (file) => {
    const { status, output } = validate(path.join(PROJECT_ROOT, file));
    if (status !== 0) throw new Error(`action-validator ${file} (exit ${String(status)}):\n${output}`);
  });

  test('it fails a broken copy (a step of the action without its shell, a job without steps)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'action-validator-'));
    try {
      const action = path.join(dir, 'action.yml');
      fs.writeFileSync(action, fs.readFileSync(ACTION_FILE, 'utf8').replace(/^( +)shell: bash\n/m, ''));
      expect(validate(action).status).not.toBe(0);
      const workflow = path.join(dir, 'broken.yml');
      fs.writeFileSync(workflow, fs.readFileSync(WORKFLOWS[0]!, 'utf8').replace(/^( +)steps:$/m, '$1stepz:'));
      expect(validate(workflow).status).not.toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The CLI's flags, from the command line it parses. */
const CLI_FLAGS = new Set(buildCommand({ out: () => undefined, err: () => undefined }).options.map((option) => option.long));
const CLI_ENV = new Set([...Object.values(OPTION_ENV), REPLAY_ENV]);

/** The flags a script passes the CLI: those in its `args=(...)` / `args+=(...)` lines. */
function argsFlags(script: string): string[] {
  return script
    .split('\n')
    .filter((line) => /^\s*(if .*then )?args\+?=\(/.test(line))
    .flatMap((line) => line.match(/--[a-z][a-z0-9-]*/g) ?? []);
}

describe('the action', () => {
  const action = load<Action>(ACTION_FILE);
  const runStep = action.runs.steps.find((step) => step.id === 'run');

  test('is a composite action whose run step calls the installed CLI with its arguments', () => {
    expect(action.runs.using).toBe('composite');
    expect(runStep?.run).toMatch(/"\$RUNNER_TEMP\/lilt-conformance\/node_modules\/\.bin\/lilt-conformance" "\$\{args\[@\]\}"/);
  });

  test("passes the CLI only flags it has, and reads the inputs' values from the environment, never pasted in", () => {
    const flags = argsFlags(runStep?.run ?? '');
    expect(flags).toEqual(expect.arrayContaining(['--target', '--job-id', '--report-dir', '--checks']));
    expect(flags.filter((flag) => !CLI_FLAGS.has(flag))).toEqual([]);
    for (const step of action.runs.steps.filter((s) => s.run !== undefined)) expect(step.run).not.toMatch(/\$\{\{/);
  });

  test('sets only LILT_* variables the CLI reads, and the key only as LILT_API_KEY', () => {
    const variables = action.runs.steps.flatMap((step) => Object.keys(step.env ?? {})).filter((name) => name.startsWith('LILT_'));
    expect(variables).toContain(OPTION_ENV.apiKey);
    expect(variables.filter((name) => !CLI_ENV.has(name))).toEqual([]);
    expect(runStep?.env?.[OPTION_ENV.apiKey]).toBe('${{ inputs.api-key }}');
    expect(runStep?.run).not.toMatch(/--api-key/);
  });

  test('uses every input it declares', () => {
    const text = JSON.stringify(action.runs.steps);
    expect(Object.keys(action.inputs).filter((input) => !text.includes(`inputs.${input} }}`))).toEqual([]);
  });

  test('installs the CLI of its own version by default', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(String(action.inputs['version']?.default)).toBe(version);
  });

  test('its script runs: exit code as an output, report.md in the step summary, the job put back', async () => {
    const provider = await startReferenceProvider({ port: 0 });
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'action-run-'));
    try {
      // A stand-in for the installed command: the CLI from this checkout's sources.
      const bin = path.join(temp, 'lilt-conformance', 'node_modules', '.bin');
      fs.mkdirSync(bin, { recursive: true });
      fs.writeFileSync(path.join(bin, 'lilt-conformance'), `#!/bin/sh\nexec ${cliShellLine()} "$@"\n`, { mode: 0o755 });
      const output = path.join(temp, 'output');
      const summary = path.join(temp, 'summary');
      const inputs: Env = { 'api-key': 'test-key', target: provider.url, 'job-ids': '241,242', checks: 'schema', 'report-dir': path.join(temp, 'reports') };
      const env = cleanEnv({ RUNNER_TEMP: temp, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary });
      for (const [name, value] of Object.entries(runStep?.env ?? {})) {
        const input = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(value)?.[1];
        env[name] = input === undefined ? value : (inputs[input] ?? action.inputs[input]?.default ?? '');
      }
      const run = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
        const child = spawn('bash', ['-e', '-c', runStep?.run ?? 'exit 99'], { env, cwd: temp });
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, text }));
      });
      expect(`exit ${String(run.code)}\n${run.text}`).toMatch(/^exit 0\n[\s\S]*verdict: conformant \(exit 0\)/);
      expect(fs.readFileSync(output, 'utf8')).toBe('exit-code=0\n');
      expect(fs.readFileSync(summary, 'utf8')).toBe(fs.readFileSync(path.join(temp, 'reports', 'report.md'), 'utf8'));
      expect(run.text).toMatch(/job 241: restored/);
    } finally {
      await provider.close();
      fs.rmSync(temp, { recursive: true, force: true });
    }
  }, 60_000);
});

/** The lilt-conformance command a step runs, if any: `run`, `pact verify`, `pact publish`, ... */
function cliCommand(step: Step): string | undefined {
  const match = /(?:npx lilt-conformance|npm run (conformance|pact:[a-z-]+))(?: (pact [a-z-]+))?/.exec(step.run ?? '');
  if (!match) return undefined;
  if (match[1] !== undefined) return match[1] === 'conformance' ? 'run' : match[1].replace(':', ' ');
  return match[2] ?? 'run';
}

describe.each(WORKFLOWS.map(relative))('the workflow %s', (file) => {
  const workflow = load<Workflow>(path.join(PROJECT_ROOT, file));
  const steps = Object.entries(workflow.jobs).flatMap(([jobName, job]) =>
    job.steps.map((step, index) => ({ job: jobName, index, step, env: { ...workflow.env, ...job.env, ...step.env } as Env })),
  );
  const where = (s: (typeof steps)[number]) => `${s.job} step ${s.index + 1} (${s.step.name ?? s.step.run ?? s.step.uses})`;

  test('every step that runs the conformance run or pact verify gets the target, the key and the job', () => {
    const running = steps.filter((s) => ['run', 'pact verify'].includes(cliCommand(s.step) ?? ''));
    const missing = running.flatMap((s) =>
      [OPTION_ENV.target, OPTION_ENV.apiKey, OPTION_ENV.jobId].filter((name) => !s.env[name]).map((name) => `${where(s)}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  test('flags given to the conformance run are flags it has', () => {
    const flags = steps
      .filter((s) => cliCommand(s.step) === 'run')
      .flatMap((s) => (s.step.run ?? '').match(/(?<=\s)--[a-z][a-z0-9-]*/g) ?? []);
    expect(flags.filter((flag) => !CLI_FLAGS.has(flag))).toEqual([]);
  });

  test('the pact is verified from pacts/, or published before it is verified from the broker', () => {
    for (const [jobName, job] of Object.entries(workflow.jobs)) {
      const commands = job.steps.map((step) => ({ command: cliCommand(step), env: { ...workflow.env, ...job.env, ...step.env } as Env, step }));
      const published = commands.findIndex((c) => c.command === 'pact publish');
      commands.forEach((c, index) => {
        if (c.command !== 'pact verify') return;
        const fromBroker = Boolean(c.env['PACT_BROKER_BASE_URL']) && !/--pact\b/.test(c.step.run ?? '');
        if (!fromBroker) return;
        const order = published >= 0 && published < index ? 'published first' : `${jobName}: step ${index + 1} verifies from the broker before a publish`;
        expect(order).toBe('published first');
      });
      if (published >= 0) {
        const env = commands[published]!.env;
        expect([jobName, Boolean(env['PACT_BROKER_BASE_URL']), Boolean(env['PACT_BROKER_TOKEN'])]).toEqual([jobName, true, true]);
      }
    }
  });

  test('a job that reports JUnit results may write checks; the workflow reads contents only by default', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const [jobName, job] of Object.entries(workflow.jobs)) {
      if (job.steps.some((step) => step.uses?.startsWith('mikepenz/action-junit-report'))) {
        expect([jobName, job.permissions?.['checks']]).toEqual([jobName, 'write']);
      }
    }
  });
});

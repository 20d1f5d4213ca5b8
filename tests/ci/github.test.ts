/**
 * The GitHub integration works as written: the example workflow and the reusable action pass a maintained schema
 * validator (@action-validator/cli); the action calls the CLI only with flags and LILT_* variables the CLI has, uses
 * every input it declares, and builds the CLI from its own checkout; its steps run from a clone of this repository
 * with the registry unreachable (against a reference provider), writing its outputs; every workflow step that runs
 * the CLI gets the target, the key and the job;
 * the pact is verified from pacts/ or published before it is verified from the broker; and the JUnit action gets the
 * permission it writes with.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildCommand } from '../../src/config/flags';
import { OPTION_ENV, REPLAY_ENV } from '../../src/config/run-config';
import { PROJECT_ROOT } from '../../src/contract/load';
import { startReferenceProvider } from '../../src/provider';
import { closedPort } from '../helpers/net';
import { FAULTS, startFaulty } from '../conformance/faulty-provider';
import { tempDir } from '../helpers/temp';

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
  readonly outputs: Record<string, { readonly description: string; readonly value: string }>;
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
    const dir = tempDir('action-validator-');
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
  const scripts = action.runs.steps.flatMap((step) => (step.run === undefined ? [] : [step.run]));

  test("is a composite action whose run step calls the CLI of the action's own checkout with its arguments", () => {
    expect(action.runs.using).toBe('composite');
    expect(runStep?.run).toMatch(/^node "\$GITHUB_ACTION_PATH\/bin\/lilt-conformance\.js" "\$\{args\[@\]\}"$/m);
  });

  test('builds the CLI from its own checkout: no step asks a registry for lilt-conformance', () => {
    expect(scripts.join('\n')).toMatch(/cd "\$GITHUB_ACTION_PATH"\nnpm ci /);
    const fetching = scripts.flatMap((script) => script.split('\n')).filter((line) => /\b(npm (install|i|add|exec|view)|npx|yarn|pnpm)\b.*lilt-conformance/.test(line));
    expect(fetching).toEqual([]);
    expect(Object.keys(action.inputs)).not.toContain('version');
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

  test('has outputs beyond the exit code, each one the run step writes', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(['exit-code', 'failing-checks', 'report-dir', 'verdict']);
    for (const [name, output] of Object.entries(action.outputs)) expect([name, output.value]).toEqual([name, `\${{ steps.run.outputs.${name} }}`]);
  });
});

/**
 * The action's steps as a runner runs them, from a clone of this repository (what `uses: owner/lilt-conformance@ref`
 * checks out), in a temporary workspace, with the registry unreachable: npm is offline (the local cache only) and its
 * proxy a closed loopback port, so a registry lookup of lilt-conformance (which no cache holds) fails. The `uses:` steps
 * (setup-node, upload-artifact) are GitHub's own and not run here. Slow: the build step installs the clone's
 * dependencies (from the cache) and builds it, about 40 s on 2 cores.
 */
describe('the action, run from a clone with the registry unreachable', () => {
  const action = load<Action>(ACTION_FILE);
  let temp: string;
  let clone: string;
  let npmEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    temp = tempDir('action-clone-');
    clone = path.join(temp, 'action');
    // The committed tree, and the changes not yet committed to its tracked files.
    spawnSync('git', ['clone', '-q', PROJECT_ROOT, clone], { encoding: 'utf8' });
    const diff = spawnSync('git', ['diff', 'HEAD', '--binary'], { cwd: PROJECT_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout;
    if (diff !== '') {
      const applied = spawnSync('git', ['apply', '--whitespace=nowarn'], { cwd: clone, input: diff, encoding: 'utf8' });
      if (applied.status !== 0) throw new Error(`git apply: ${applied.stderr}`);
    }
    const port = await closedPort();
    npmEnv = {
      npm_config_offline: 'true',
      npm_config_proxy: `http://127.0.0.1:${port}`,
      npm_config_https_proxy: `http://127.0.0.1:${port}`,
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    };
  });

  /** The environment of a step: a runner's variables, npm's offline settings, the step's env with the inputs put in. */
  function stepEnv(step: Step, inputs: Env, runner: Env): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...npmEnv, ...runner };
    for (const [name, value] of Object.entries(step.env ?? {})) {
      const input = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(value)?.[1];
      env[name] = input === undefined ? value : (inputs[input] ?? action.inputs[input]?.default ?? '');
    }
    return env;
  }

  function bash(script: string, env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; text: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn('bash', ['-e', '-c', script], { env, cwd });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, text }));
    });
  }

  test('the environment refuses a registry install of lilt-conformance (the install the action used to do)', async () => {
    const prefix = path.join(temp, 'registry-install');
    const run = await bash(`npm install --prefix "${prefix}" --no-save lilt-conformance@0.1.0`, { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...npmEnv }, temp);
    expect(run.code).not.toBe(0);
    expect(run.text).toMatch(/ENOTCACHED|ECONNREFUSED|E404/);
  }, 60_000);

  test('its steps build the CLI and run it: the job checked and put back, the outputs written, report.md in the summary', async () => {
    const provider = await startReferenceProvider({ port: 0 });
    const workspace = path.join(temp, 'workspace');
    fs.mkdirSync(workspace);
    const output = path.join(temp, 'output');
    const summary = path.join(temp, 'summary');
    const runner: Env = { GITHUB_ACTION_PATH: clone, GITHUB_WORKSPACE: workspace, RUNNER_TEMP: temp, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary };
    const inputs: Env = { 'api-key': 'test-key', target: provider.url, 'job-ids': '241,242', checks: 'schema', 'report-dir': 'reports' };
    const log: string[] = [];
    try {
      for (const step of action.runs.steps) {
        if (step.run === undefined) continue;
        const run = await bash(step.run, stepEnv(step, inputs, runner), workspace);
        log.push(`--- ${step.name ?? step.id ?? ''} (exit ${String(run.code)})\n${run.text}`);
        if (run.code !== 0) break;
      }
    } finally {
      await provider.close();
    }
    const text = log.join('\n');
    expect(text).toMatch(/--- Run lilt-conformance \(exit 0\)\n[\s\S]*verdict: conformant \(exit 0\)/);
    expect(text).toMatch(/job 241: restored/);
    expect(text).not.toMatch(/EBADENGINE/);
    const reports = path.join(workspace, 'reports');
    expect(fs.readFileSync(output, 'utf8')).toBe(`exit-code=0\nverdict=conformant\nfailing-checks=0\nreport-dir=${reports}\n`);
    expect(fs.readFileSync(summary, 'utf8')).toBe(fs.readFileSync(path.join(reports, 'report.md'), 'utf8'));
    // The description names every report the run writes (the upload step takes them all).
    const description = (load<{ description: string }>(ACTION_FILE)).description;
    expect(fs.readdirSync(reports).filter((file) => !description.includes(file))).toEqual([]);

    // The run step again (the CLI is built), against a target that loses name updates: the outputs say so.
    const faulty = await startFaulty(FAULTS.lostNameUpdate);
    try {
      fs.writeFileSync(output, '');
      const runStep = action.runs.steps.find((step) => step.id === 'run')!;
      const again = await bash(runStep.run ?? '', stepEnv(runStep, { ...inputs, target: faulty.url, checks: 'semantics', 'report-dir': 'faulty' }, runner), workspace);
      expect(`exit ${String(again.code)}\n${again.text}`).toMatch(/^exit 1\n[\s\S]*verdict: NOT conformant \(exit 1\)/);
      const failing = (JSON.parse(fs.readFileSync(path.join(workspace, 'faulty', 'findings.json'), 'utf8')) as { patterns: Array<{ checkId: string }> }).patterns;
      expect(fs.readFileSync(output, 'utf8')).toBe(
        `exit-code=1\nverdict=not-conformant\nfailing-checks=${new Set(failing.map((g) => g.checkId)).size}\nreport-dir=${path.join(workspace, 'faulty')}\n`,
      );
      expect(failing.map((g) => g.checkId)).toContain('semantics.fields-round-trip');
    } finally {
      await faulty.close();
    }
  }, 300_000);
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

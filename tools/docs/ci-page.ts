/**
 * docs/ci.md, for the person wiring the run into CI: the reusable GitHub Action with its inputs and outputs (read
 * from action.yml), a matrix of shards, any other CI through npx, and this repository's own workflow with the
 * settings it reads (read from .github/workflows/conformance.yml).
 */
import { OPTION_ENV } from '../../src/config/run-config';
import { cell, generatedNotice, table } from './markdown';

// js-yaml comes with @apidevtools/swagger-parser (a runtime dependency); typed here for the one call used.
const yaml = require('js-yaml') as { load(text: string): unknown };

interface ActionYaml {
  readonly inputs?: Record<string, { readonly description?: string; readonly required?: boolean; readonly default?: unknown }>;
  readonly outputs?: Record<string, { readonly description?: string }>;
}

/** The repository settings a workflow reads (`vars.X`, `secrets.X`), in order of first use. */
export function workflowSettings(text: string): { readonly variables: string[]; readonly secrets: string[] } {
  const of = (context: string) => [...new Set([...text.matchAll(new RegExp(`\\b${context}\\.([A-Za-z_][A-Za-z0-9_]*)`, 'g'))].map((m) => m[1]!))];
  return { variables: of('vars'), secrets: of('secrets') };
}

const code = (text: string) => `\`${text}\``;

type Inputs = [string, NonNullable<ActionYaml['inputs']>[string]][];
type Outputs = [string, NonNullable<ActionYaml['outputs']>[string]][];

/** The notice, the title, and what CI relies on (the exit code, one run per job at a time). */
function introSection(): string[] {
  return [
    ...generatedNotice('action.yml and .github/workflows/conformance.yml', 'tools/docs/ci-page.ts'),
    '# CI',
    '',
    'For the person wiring the conformance run into CI. The run exits 0 when the target is conformant and non-zero',
    'otherwise (see [exit codes](targets-and-flags.md#exit-codes)), so a CI step fails on a finding as it is. Staging\'s',
    'job is shared: never run two runs against one job at once (a `concurrency` group on GitHub).',
    '',
  ];
}

/** The GitHub Action: a job using it, what it does, its inputs and outputs (from action.yml). */
function actionSection(uses: string, inputs: Inputs, outputs: Outputs): string[] {
  return [
    '## GitHub Actions: the action',
    '',
    `\`action.yml\` at the root of this repository is a composite action. \`${uses}\` below is this repository at a`,
    'release tag: the ref in `uses:` is the version that runs.',
    '',
    '```yaml',
    'jobs:',
    '  conformance:',
    '    runs-on: ubuntu-latest',
    '    concurrency: { group: lilt-staging, cancel-in-progress: false }',
    '    steps:',
    `      - uses: ${uses}`,
    '        with:',
    '          target: ${{ vars.LILT_STAGING_URL }}',
    '          api-key: ${{ secrets.LILT_STAGING_API_KEY }}',
    '          job-ids: ${{ vars.LILT_STAGING_JOB_ID }}',
    '```',
    '',
    'It sets up Node, installs the dependencies of the action\'s own checkout from its lockfile and builds the CLI there',
    '(nothing is fetched from a registry under the name lilt-conformance; about a minute), runs it, adds `report.md` to',
    'the job\'s summary and uploads the report folder (also when the run failed). Its',
    'outputs give the verdict, the number of failing checks and the report folder to later steps (`steps.<id>.outputs`).',
    'The key reaches the CLI only as',
    `\`${OPTION_ENV.apiKey}\`; inputs reach its script through the environment, never pasted into it. Any other \`LILT_*\``,
    'variable set on the step (`env:`) reaches the CLI too, for a flag the action has no input for.',
    '',
    '### Inputs',
    '',
    ...table(
      ['input', 'required', 'default', 'what'],
      inputs.map(([name, input]) => [
        code(name),
        input.required === true ? 'yes' : 'no',
        input.default === undefined || input.default === '' ? '' : code(String(input.default)),
        cell(input.description ?? ''),
      ]),
    ),
    '',
    '### Outputs',
    '',
    ...table(['output', 'what'], outputs.map(([name, output]) => [code(name), cell(output.description ?? '')])),
    '',
  ];
}

/** A matrix of shards, one job each. */
function matrixSection(uses: string): string[] {
  return [
    '## A matrix of shards',
    '',
    'Each shard runs its share of the cases on its own job, and the shards together run the whole plan:',
    '',
    '```yaml',
    'jobs:',
    '  conformance:',
    '    runs-on: ubuntu-latest',
    '    strategy:',
    '      matrix:',
    '        include:',
    '          - { shard: 1/2, job: 1234 }',
    '          - { shard: 2/2, job: 1235 }',
    '    steps:',
    `      - uses: ${uses}`,
    '        env:',
    `          ${OPTION_ENV.shard}: \${{ matrix.shard }}`,
    '        with:',
    '          target: ${{ vars.LILT_STAGING_URL }}',
    '          api-key: ${{ secrets.LILT_STAGING_API_KEY }}',
    '          job-ids: ${{ matrix.job }}',
    '          artifact-name: conformance-report-${{ strategy.job-index }}',
    '```',
    '',
  ];
}

/** Any other CI, through npx. */
function otherCiSection(version: string): string[] {
  return [
    '## Any other CI',
    '',
    '```sh',
    `npm install --omit=optional ./lilt-conformance-${version}.tgz   # the release tarball, or keep it in devDependencies`,
    `export ${OPTION_ENV.apiKey}="$STAGING_API_KEY"          # from the CI's secret store`,
    'npx lilt-conformance --target "$STAGING_URL" --job-id "$STAGING_JOB_ID" --report-dir conformance-report',
    '```',
    '',
    '`conformance-report/junit.xml` has one test case per check (its id and short title, the first failure\'s expected',
    'and actual in its message), for the CI\'s test report; `report.md` opens with the failures\' causes (a job summary),',
    'and under `GITHUB_ACTIONS=true` each failing check is also a workflow annotation; `--har run.har` records every',
    'exchange; all are described in [reports](reports.md).',
    '',
  ];
}

/** This repository's own workflow and the settings it reads. */
function workflowSection(settings: ReturnType<typeof workflowSettings>): string[] {
  return [
    '## This repository\'s workflow',
    '',
    '`.github/workflows/conformance.yml` runs the CLI from this checkout against a staging on a schedule, on demand',
    'and on `main`, uploads the reports and shows the JUnit results (which needs `checks: write`). On `main` it then',
    'checks the consumer pact against the OpenAPI document, verifies it against the same staging from `pacts/`, and',
    'publishes it to the Pact Broker (see [Pact and the broker](pact.md)). The repository settings it reads:',
    '',
    `- variables: ${settings.variables.map(code).join(', ') || '(none)'}`,
    `- secrets: ${settings.secrets.map(code).join(', ') || '(none)'}`,
    '',
    'The action and the workflow are validated against GitHub\'s schemas in `npm test` (`tests/ci/github.test.ts`),',
    'which also holds the action\'s command line to the CLI\'s flags and runs its steps from a clone of this repository',
    'with the registry out of reach.',

  ];
}

export function renderCiPage(actionText: string, workflowText: string, version: string): string {
  const action = yaml.load(actionText) as ActionYaml;
  const uses = `<owner>/lilt-conformance@v${version}`;
  const lines: string[] = [
    ...introSection(),
    ...actionSection(uses, Object.entries(action.inputs ?? {}), Object.entries(action.outputs ?? {})),
    ...matrixSection(uses),
    ...otherCiSection(version),
    ...workflowSection(workflowSettings(workflowText)),
  ];
  return `${lines.join('\n')}\n`;
}

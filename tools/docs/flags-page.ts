/**
 * docs/targets-and-flags.md, for the person who points the run at their staging or a mock and tunes it: the three
 * inputs, what the run does to the job, pacing, shards, then every flag with its environment variable and default
 * (from the options table, src/config/options.ts, with the commands that take it), the commands (src/cli/main.ts)
 * and the exit codes (the CLI's own description). A row added to the table appears here when the pages are
 * regenerated.
 */
import { COMMANDS } from '../../src/cli/main';
import { buildCommand } from '../../src/config/flags';
import { REPLAY_ENV } from '../../src/config/run-config';
import { DEFAULTS, OPTION_ENV, OPTIONS, shownDefaultOf, type CommandName, type OptionRow } from '../../src/config/options';
import type { Contract } from '../../src/contract/load';
import { operationModel } from '../../src/contract/model';
import { ExitCode } from '../../src/errors';
import { cell, generatedNotice, table } from './markdown';

/** A row of the options table as the page shows it: the flag, its variable, its default, the commands that take it. */
export interface FlagRow {
  readonly flags: string;
  readonly env: string | undefined;
  readonly defaultText: string | undefined;
  readonly commands: readonly CommandName[];
  readonly what: string;
}

/** Every row of the options table (src/config/options.ts), in its order. */
export function flagRows(): FlagRow[] {
  return Object.values(OPTIONS).map((r: OptionRow<unknown>) => ({
    flags: r.flags,
    env: r.env,
    defaultText: shownDefaultOf(r),
    commands: r.commands,
    what: r.choices === undefined ? r.help : `${r.help} (one of ${r.choices.join(', ')})`,
  }));
}

const code = (text: string) => `\`${text}\``;

export function renderFlagsPage(contract: Contract): string {
  const command = buildCommand({ out: () => undefined, err: () => undefined });
  const model = operationModel(contract);
  const fields = model.updatableFields.map((field) => code(field.name)).join(', ');
  const production = (contract.document.servers ?? []).map((server) => code(server.url)).join(', ') || '(none)';
  const quota = model.quota;
  const lines: string[] = [
    ...generatedNotice('the options table (src/config/options.ts) and the commands (src/cli/main.ts)', 'tools/docs/flags-page.ts'),
    '# Pointing the run at a target, and its flags',
    '',
    'For the person who runs `lilt-conformance` against their staging or a mock: what it needs, what it does to the',
    'job it is given, how it paces itself, and every flag. Without `--target` it runs against the reference provider',
    'it starts in-process (see [the reference provider](reference-provider.md)).',
    '',
    '## The three inputs',
    '',
    '```sh',
    'export LILT_API_KEY=...                     # the key; from the environment, so it is in no command line',
    'npx lilt-conformance --target https://staging.example.com --job-id 1234 --report-dir out',
    '```',
    '',
    `- **The URL** (\`--target\`, \`${OPTION_ENV.target}\`): the base URL, \`http\` or \`https\`, without credentials, query`,
    '  or fragment. A path in it is a base path: `https://gw.example.com/lilt` sends `/lilt/v2/jobs/{id}`. When the first',
    '  read gets 404 the error names the URL asked for, and says so when the base path already ends in `/v2` (doubled).',
    '  The document\'s own server is refused unless `--allow-production` is given:',
    `  ${production}.`,
    `- **The key** (\`${OPTION_ENV.apiKey}\`, or \`--api-key\`, which the process list shows): sent by Basic auth (the key`,
    '  as user and password) and by the `key` query parameter. It is never printed: what a target echoes back is',
    `  shown as \`[redacted: ${OPTION_ENV.apiKey}]\`, and the \`curl\` line a failure prints reads \`$${OPTION_ENV.apiKey}\`, so`,
    '  export it in the shell you reproduce from.',
    `- **A job kept for testing** (\`--job-id\`, \`${OPTION_ENV.jobId}\`): the run writes it. Give it a job nobody needs.`,
    '  `--job-id a,b,c` names more: the first is written, the others are read before and after, to show that an update',
    '  of one job changes no other. The run also needs an id no job has',
    `  (\`--missing-job-id\`, default ${DEFAULTS.missingJobId} with \`--target\`).`,
    '',
    '## What the run does to the job',
    '',
    `Before its first write the run reads the job (\`PUT {}\`) and keeps the values of ${fields}. At the end, on`,
    'failure and on SIGINT/SIGTERM it puts them back and reads them back, retried within `--restore-timeout`',
    `(${DEFAULTS.restoreTimeoutSeconds} s). A restore that fails is a loud block listing the original values and a \`curl\` that`,
    'puts them back, and the exit is non-zero. A field the',
    'job does not have (a `due`, say) cannot be removed through the API, so the run never sends it, and says so. The',
    'job rests on a marker name while the run works; a run refuses to start (exit 2) on a job that holds one, or any',
    'value this tool writes while testing, unless `--allow-shared-job`. The other jobs of `--job-id a,b,c` are read',
    'again at the end and put back if they changed. When the first read does not return a Job, nothing is written.',
    '`pact verify` guards its job the same way. Every bound, and what the run does at each:',
    '[targets and safety](targets-and-safety.md).',
    '',
    '## Pace, quota and a target that stops answering',
    '',
    quota === undefined
      ? 'Requests to a remote target are not paced unless `--rate` is given (the document states no quota).'
      : `Requests to a remote target are paced to the document's quota, ${quota.perMinute} a minute, evenly (never a burst`,
    quota === undefined ? '' : 'past it), unless `--rate` says otherwise; on loopback they are not paced.',
    `A 429 is not a failure: the run waits for \`Retry-After\` (else the document's ${Math.round((quota?.waitMs ?? 60_000) / 1000)} s), sends again and counts`,
    `it; a wait beyond \`--max-wait\` (${DEFAULTS.maxWaitSeconds} s) is not waited out. When requests keep timing out or failing to connect,`,
    `one request keeps getting 429, or the run reaches \`--max-duration\` (${DEFAULTS.maxDurationSeconds} s), the run stops, puts the job back`,
    'and gives no verdict (exit 3). `--dry-run` prints the plan (the cases, about how many requests, the rate, how long',
    'at least) and sends nothing.',
    '',
    '## Choosing checks',
    '',
    '`--checks` takes a comma list of groups (`schema`, `semantics`, `negative`, `ids`, `auth`), check ids (see',
    '[the checks](checks.md)) and `all`; `--exclude-checks` takes the same names away. An unknown name is one line listing',
    'the known ones (exit 2). The plan runs a group\'s cases when a selected check belongs to that group; the properties',
    'and coverage groups when one of groups 2 to 5 does; the request envelope group when one of groups 2, 3 or 5 does. Group 1\'s',
    'checks judge every response of whatever runs, so selecting only group-1 checks runs group 1\'s cases alone, as',
    '`--checks schema` always has. Skipping is safe: every case reads the job before it relies on its state.',
    '`--max-failures N` stops sending once N checks have failed; the job is put back as always and the verdict is NOT',
    'conformant (exit 1).',
    '',
    '## Acknowledged deviations (a baseline)',
    '',
    'A staging may depart from the contract in a way the team knows about. `--baseline FILE` acknowledges it, in the',
    'shape of the spec lint\'s baseline:',
    '',
    '```json',
    '{ "acknowledged": [',
    '  { "check": "semantics.id-matches-path", "actual": "id \\"*\\"", "reason": "PLAT-123: ids are strings until v3", "expires": "2026-06-30" }',
    '] }',
    '```',
    '',
    '`check` is a check id; `scenario` (optional) a pattern on the case (its name, or `group › name`); `actual` (optional)',
    'a pattern on what came back; `*` is any text, everything else literal. `expires` (optional, `YYYY-MM-DD`) is the',
    'last day the entry counts. A matching finding is shown as acknowledged in every report and does not fail the run;',
    'an entry that matched nothing is reported as stale, one past its date as expired (its findings fail again). A',
    'file that does not parse, or names an unknown check or field, is one line naming it, exit 2, before anything is',
    'sent. `--write-baseline FILE` writes one from a run\'s findings (one entry per group, its reason `TODO`) to review.',
    '',
    '## The network: headers, a proxy, a private CA',
    '',
    '- `-H "Name: value"` (repeatable; `LILT_HEADERS`, one a line) is sent on every request, for a gateway. The values of',
    '  `Cookie`, `Proxy-Authorization` and of names that look like credentials (`*token*`, `*key*`, `*secret*`, `*auth*`,',
    '  `*session*`, `*signature*`, ...) are shown nowhere: settings say `[redacted]`, a `curl` line reads',
    '  `$LILT_HEADER_<NAME>`, a target echoing one shows `[redacted: header <Name>]`, and the run fails if one is found in',
    '  what it wrote. `Authorization` and `Content-Type` are the run\'s own (its auth checks send and withhold the key).',
    '- `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (lower-case forms win) are honoured through undici\'s',
    '  `EnvHttpProxyAgent`; credentials in a proxy URL are never shown. A loopback target (`localhost`, `127.x`, `::1`,',
    '  and the in-process reference provider) is always reached directly, whatever `NO_PROXY` says. A proxy URL that',
    '  does not parse is one line, exit 2.',
    '- A private CA: `NODE_EXTRA_CA_CERTS=ca.pem` (Node reads it at start-up; a file that cannot be read is one line,',
    '  exit 2). A TLS failure is one line naming its cause (a CA not trusted, an expired certificate, another host',
    '  name, plain HTTP on that port), exit 3.',
    '',
    '## Shards',
    '',
    '`--shard i/n` runs every n-th case of the plan, from the i-th: the n shards of a CI matrix together run exactly',
    'the plan. Each shard writes its own job (give each its own `--job-id`), and the rate is split between them. See',
    '[CI](ci.md) for a matrix.',
    '',
    '## Flags',
    '',
    'Every flag of every command, from the one options table (src/config/options.ts): `run` is',
    '`lilt-conformance [run] [options]`. Flags win over the environment.',
    '',
    ...table(
      ['flag', 'environment', 'default', 'commands', 'what'],
      flagRows().map((row) => [
        code(row.flags.replace(/\|/g, '\\|')),
        row.env === undefined ? '' : code(row.env),
        row.defaultText === undefined ? '' : cell(row.defaultText),
        row.commands.map((name) => code(name)).join(', '),
        cell(row.what),
      ]),
    ),
    `| | ${code(REPLAY_ENV)} | none | \`run\` | \`<property>=<path>\` as a property failure prints it, with its \`--seed\`: runs that one property alone, from that example (environment only) |`,
    '| | `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY` | none | `run` | a proxy (see [the network](#the-network-headers-a-proxy-a-private-ca)); a loopback target is always reached directly |',
    '| | `NODE_EXTRA_CA_CERTS` | none | `run` | a private CA\'s PEM file |',
    '',
    '## Exit codes',
    '',
    ...command
      .description()
      .split('\n')
      .filter((line) => /^Exit codes:/.test(line))
      .map((line) => line.replace(/^Exit codes: /, '').replace(/([^.])$/, '$1.')),
    'Exit 1 also when the job could not be put back, or the key was found in what the run wrote; 130 or 143 when SIGINT',
    'or SIGTERM interrupted the run (after the job was put back). A bad flag or value',
    `is one line on stderr saying what to do. A bug in lilt-conformance is exit ${ExitCode.internal}, with its stack.`,
    '',
    '## Commands',
    '',
    ...table(
      ['command', 'what', 'needs'],
      COMMANDS.map((c) => [
        code(`lilt-conformance ${c.name}`),
        cell(c.summary),
        c.needs.length === 0 ? '' : c.needs.map((pkg) => code(pkg.name)).join(', '),
      ]),
    ),
    '',
    'Each command has `--help`. The pact commands need optional packages; without them, they say which to install and',
    'exit 2. See [Pact and the broker](pact.md).',
  ];
  return `${lines.filter((line, i, all) => !(line === '' && all[i - 1] === '')).join('\n')}\n`;
}

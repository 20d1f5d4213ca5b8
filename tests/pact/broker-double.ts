/**
 * A small recording Pact Broker double on a real loopback HTTP server, for the parts of the broker's HAL API that
 * publish, verification, can-i-deploy and the environments use: the index, publishing contracts, pacts for
 * verification (pending and work-in-progress options recorded), verification results, provider branch versions,
 * environments, pacticipant versions with their record-deployment and record-release relations, deployed and released
 * versions, and the matrix (`environment=` compares against what is deployed or released there). It records every
 * request and keeps what was published in memory.
 *
 * It is held to the broker's published contract (the official broker client's pact, tests/pact/fixtures/) by
 * broker-double.contract.test.ts, through the provider-state endpoint `POST /_pact/provider-states`.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export const STATE_CHANGE_PATH = '/_pact/provider-states';
const HAL = 'application/hal+json;charset=utf-8';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  /** `bearer`, `basic` or `none`: what kind of credentials came, never their value. */
  readonly auth: 'bearer' | 'basic' | 'none';
  readonly body: unknown;
}

export interface PublishedContract {
  readonly consumer: string;
  readonly provider: string;
  readonly consumerVersion: string;
  readonly branch: string | undefined;
  readonly tags: readonly string[];
  readonly buildUrl: string | undefined;
  /** The pact as published (decoded from base64, parsed). */
  readonly pact: unknown;
  readonly createdAt: string;
}

export interface VerificationResult {
  readonly consumer: string;
  readonly consumerVersion: string;
  readonly provider: string;
  readonly providerVersion: string;
  readonly success: boolean;
  readonly verifiedAt: string;
}

/** A version recorded as deployed to (or released in) an environment. */
export interface EnvironmentRecord {
  readonly kind: 'deployment' | 'release';
  readonly pacticipant: string;
  readonly version: string;
  readonly environment: string;
  readonly applicationInstance: string | undefined;
  /** A later deployment of the pacticipant to the same environment (and instance) replaces an earlier one. */
  currentlyDeployed: boolean;
}

export interface BrokerDoubleOptions {
  /** When set, every API request must carry `Authorization: Bearer <token>` (else 401). */
  readonly token?: string;
  /** The environments that exist (names); default none. */
  readonly environments?: readonly string[];
}

export interface BrokerDouble {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly contracts: PublishedContract[];
  readonly verifications: VerificationResult[];
  readonly branchVersions: Array<{ pacticipant: string; branch: string; version: string }>;
  /** Deployments and releases recorded, in order. */
  readonly environmentRecords: EnvironmentRecord[];
  /** Records a verification result directly, as a provider's CI would have. */
  recordVerification(result: Omit<VerificationResult, 'verifiedAt'>): void;
  /** Publishes a pact directly (for provider states). */
  seedContract(consumer: string, consumerVersion: string, provider: string): void;
  reset(): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

export async function startBrokerDouble(options: BrokerDoubleOptions = {}): Promise<BrokerDouble> {
  const requests: RecordedRequest[] = [];
  const contracts: PublishedContract[] = [];
  const verifications: VerificationResult[] = [];
  const branchVersions: Array<{ pacticipant: string; branch: string; version: string }> = [];
  const environmentRecords: EnvironmentRecord[] = [];
  /** Environment name -> uuid. */
  const environments = new Map<string, string>();
  const addEnvironment = (name: string, uuid = randomUUID()) => environments.set(name, uuid);
  for (const name of options.environments ?? []) addEnvironment(name);
  /** Versions created directly (provider states), beside those that publishing and verifying create. */
  const seededVersions: Array<{ pacticipant: string; version: string }> = [];
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const now = () => new Date((clock += 1000)).toISOString();

  const reset = () => {
    contracts.length = 0;
    verifications.length = 0;
    branchVersions.length = 0;
    environmentRecords.length = 0;
    seededVersions.length = 0;
    environments.clear();
    for (const name of options.environments ?? []) addEnvironment(name);
  };
  const seedContract = (consumer: string, consumerVersion: string, provider: string) => {
    contracts.push({
      consumer,
      provider,
      consumerVersion,
      branch: undefined,
      tags: [],
      buildUrl: undefined,
      pact: { consumer: { name: consumer }, provider: { name: provider }, interactions: [], metadata: {} },
      createdAt: now(),
    });
  };
  const recordVerification = (result: Omit<VerificationResult, 'verifiedAt'>) => {
    verifications.push({ ...result, verifiedAt: now() });
  };
  const pacticipants = () => new Set([...contracts.flatMap((c) => [c.consumer, c.provider]), ...seededVersions.map((v) => v.pacticipant)]);
  /** Whether the broker knows this version of the pacticipant: published, verified, on a branch, or created. */
  const versionExists = (pacticipant: string, version: string) =>
    contracts.some((c) => c.consumer === pacticipant && c.consumerVersion === version) ||
    verifications.some((v) => v.provider === pacticipant && v.providerVersion === version) ||
    branchVersions.some((b) => b.pacticipant === pacticipant && b.version === version) ||
    seededVersions.some((v) => v.pacticipant === pacticipant && v.version === version);
  /** The versions of a pacticipant currently deployed to, or released in, an environment. */
  const inEnvironment = (pacticipant: string, environment: string) =>
    environmentRecords.filter((r) => r.pacticipant === pacticipant && r.environment === environment && r.currentlyDeployed).map((r) => r.version);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://double');
      const base = `http://${req.headers.host ?? '127.0.0.1'}`;
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // keep the text
      }
      const authorization = req.headers.authorization ?? '';
      const auth = /^Bearer /i.test(authorization) ? 'bearer' : /^Basic /i.test(authorization) ? 'basic' : 'none';
      const send = (status: number, payload: unknown, contentType = HAL) => {
        res.writeHead(status, { 'content-type': contentType });
        res.end(payload === undefined ? '' : JSON.stringify(payload));
      };

      if (req.method === 'POST' && url.pathname === STATE_CHANGE_PATH) {
        const { state, action } = (body ?? {}) as { state?: string; action?: string };
        if (action !== 'teardown') setState(state ?? '');
        return send(200, {}, 'application/json');
      }
      requests.push({ method: req.method ?? '', path: url.pathname, query: url.search, auth, body });
      if (options.token !== undefined && authorization !== `Bearer ${options.token}`) {
        return send(401, { error: 'authentication required' }, 'application/json');
      }
      const route = `${req.method} ${url.pathname}`;
      let match: RegExpMatchArray | null;

      if (route === 'GET /') return send(200, index(base));
      if (route === 'POST /contracts/publish') return send(200, publish(body as Json, base));
      if ((match = url.pathname.match(/^\/pacts\/provider\/([^/]+)\/for-verification$/))) {
        // GET describes the resource (HAL); POST with the selectors answers it.
        if (req.method === 'GET') return send(200, { _links: { self: { href: `${base}${url.pathname}` } } });
        if (req.method === 'POST') return send(200, forVerification(decodeURIComponent(match[1]!), base));
      }
      if ((match = url.pathname.match(/^\/pacts\/provider\/([^/]+)\/consumer\/([^/]+)\/version\/([^/]+)$/)) && req.method === 'GET') {
        const [provider, consumer, version] = match.slice(1).map(decodeURIComponent) as [string, string, string];
        const contract = contracts.find((c) => c.provider === provider && c.consumer === consumer && c.consumerVersion === version);
        if (!contract) return send(404, { error: 'no such pact' });
        const links = pactLinks(base, contract);
        return send(200, { ...(contract.pact as Json), _links: links });
      }
      if (
        (match = url.pathname.match(/^\/pacts\/provider\/([^/]+)\/consumer\/([^/]+)\/version\/([^/]+)\/verification-results$/)) &&
        req.method === 'POST'
      ) {
        const [provider, consumer, consumerVersion] = match.slice(1).map(decodeURIComponent) as [string, string, string];
        const result = body as { success?: unknown; providerApplicationVersion?: unknown };
        recordVerification({
          consumer,
          consumerVersion,
          provider,
          providerVersion: String(result.providerApplicationVersion),
          success: result.success === true,
        });
        return send(201, { success: result.success, _links: { self: { href: `${base}${url.pathname}/1` } } });
      }
      if ((match = url.pathname.match(/^\/pacticipants\/([^/]+)\/branches\/([^/]+)\/versions\/([^/]+)$/)) && req.method === 'PUT') {
        const [pacticipant, branch, version] = match.slice(1).map(decodeURIComponent) as [string, string, string];
        branchVersions.push({ pacticipant, branch, version });
        return send(201, { number: version, _links: { self: { href: `${base}${url.pathname}` } } });
      }
      if ((match = url.pathname.match(/^\/pacticipants\/([^/]+)$/)) && req.method === 'GET') {
        const name = decodeURIComponent(match[1]!);
        if (!pacticipants().has(name)) return send(404, { error: `no pacticipant ${name}` });
        const self = `${base}${url.pathname}`;
        return send(200, {
          name,
          _links: {
            self: { href: self },
            'pb:branch-version': { href: `${self}/branches/{branch}/versions/{version}`, templated: true },
          },
        });
      }
      if (route === 'GET /environments') {
        return send(200, {
          _embedded: { environments: [...environments].map(([name, uuid]) => ({ uuid, name, displayName: name, production: name === 'production' })) },
          _links: {
            self: { href: `${base}/environments` },
            'pb:environments': [...environments].map(([name, uuid]) => ({ name, href: `${base}/environments/${uuid}` })),
          },
        });
      }
      if ((match = url.pathname.match(/^\/pacticipants\/([^/]+)\/versions\/([^/]+)$/)) && req.method === 'GET') {
        const [pacticipant, version] = match.slice(1).map(decodeURIComponent) as [string, string];
        if (!versionExists(pacticipant, version)) return send(404, { error: `no version ${version} of ${pacticipant}` });
        const self = `${base}${url.pathname}`;
        const each = (kind: string) => [...environments].map(([name, uuid]) => ({ name, title: `Record ${kind} to ${name}`, href: `${self}/${kind}-versions/environment/${uuid}` }));
        return send(200, {
          number: version,
          _links: { self: { href: self }, 'pb:record-deployment': each('deployed'), 'pb:record-release': each('released') },
        });
      }
      if ((match = url.pathname.match(/^\/pacticipants\/([^/]+)\/versions\/([^/]+)\/(deployed|released)-versions\/environment\/([^/]+)$/)) && req.method === 'POST') {
        const [pacticipant, version, kind, uuid] = match.slice(1).map(decodeURIComponent) as [string, string, 'deployed' | 'released', string];
        const environment = [...environments].find(([, id]) => id === uuid)?.[0];
        if (environment === undefined) return send(404, { error: `no environment ${uuid}` });
        if (!versionExists(pacticipant, version)) return send(404, { error: `no version ${version} of ${pacticipant}` });
        const given = (body ?? {}) as { applicationInstance?: unknown };
        const applicationInstance = typeof given.applicationInstance === 'string' ? given.applicationInstance : undefined;
        if (kind === 'deployed') {
          // A deployment replaces the one before it in the same environment (and application instance).
          for (const r of environmentRecords) {
            if (r.kind === 'deployment' && r.pacticipant === pacticipant && r.environment === environment && r.applicationInstance === applicationInstance) {
              r.currentlyDeployed = false;
            }
          }
        }
        environmentRecords.push({ kind: kind === 'deployed' ? 'deployment' : 'release', pacticipant, version, environment, applicationInstance, currentlyDeployed: true });
        const self = `${base}${url.pathname}/${environmentRecords.length}`;
        return send(201, {
          ...(applicationInstance === undefined ? {} : { applicationInstance, target: applicationInstance }),
          currentlyDeployed: true,
          _links: { self: { href: self } },
        });
      }
      if (route === 'GET /matrix') {
        const answer = matrix(url.searchParams, base);
        return send(answer.status, answer.body);
      }
      return send(404, { error: `the broker double does not implement ${route}` });
    });
  });

  function index(base: string): Json {
    return {
      _links: {
        self: { href: base },
        'pb:publish-contracts': { href: `${base}/contracts/publish` },
        'pb:provider-pacts-for-verification': {
          href: `${base}/pacts/provider/{provider}/for-verification`,
          templated: true,
        },
        'pb:pacticipant-branch-version': {
          href: `${base}/pacticipants/{pacticipant}/branches/{branch}/versions/{version}`,
          templated: true,
        },
        'pb:matrix': { href: `${base}/matrix` },
        'pb:environments': { href: `${base}/environments` },
        'pb:pacticipant-version': { href: `${base}/pacticipants/{pacticipant}/versions/{version}`, templated: true },
      },
    };
  }

  function publish(body: Json, base: string): Json {
    const version = String(body['pacticipantVersionNumber']);
    const tags = Array.isArray(body['tags']) ? (body['tags'] as string[]) : [];
    const list = Array.isArray(body['contracts']) ? (body['contracts'] as Json[]) : [];
    const hrefs: Array<{ title: string; name: string; href: string }> = [];
    for (const contract of list) {
      const published: PublishedContract = {
        consumer: String(contract['consumerName']),
        provider: String(contract['providerName']),
        consumerVersion: version,
        branch: typeof body['branch'] === 'string' ? body['branch'] : undefined,
        tags,
        buildUrl: typeof body['buildUrl'] === 'string' ? body['buildUrl'] : undefined,
        pact: JSON.parse(Buffer.from(String(contract['content']), 'base64').toString('utf8')) as unknown,
        createdAt: now(),
      };
      contracts.push(published);
      hrefs.push({
        title: 'Pact',
        name: `Pact between ${published.consumer} (${version}) and ${published.provider}`,
        href: pactUrl(base, published),
      });
    }
    // The shape pact-broker-cli parses (its `Root` struct): without every field it prints a warning instead of the
    // notices.
    const e = encodeURIComponent;
    const name = String(body['pacticipantName']);
    const pacticipantHref = `${base}/pacticipants/${e(name)}`;
    const versionHref = `${pacticipantHref}/versions/${e(version)}`;
    const versionLink = { href: versionHref, name: version, title: 'Pacticipant version' };
    return {
      _embedded: {
        pacticipant: { name, _links: { self: { href: pacticipantHref } } },
        version: { number: version, _links: { self: versionLink } },
      },
      notices: [{ type: 'success', text: `Published ${list.length} contract(s) for ${name} version ${version} (broker double)` }],
      logs: [{ level: 'info', message: `Published ${list.length} contract(s)`, deprecationWarning: '' }],
      _links: {
        'pb:pacticipant': { href: pacticipantHref, name, title: 'Pacticipant' },
        'pb:pacticipant-version': versionLink,
        'pb:pacticipant-version-tags': tags.map((tag) => ({ name: tag, href: `${versionHref}/tags/${e(tag)}` })),
        'pb:contracts': hrefs,
      },
    };
  }

  function pactUrl(base: string, c: PublishedContract): string {
    const e = encodeURIComponent;
    return `${base}/pacts/provider/${e(c.provider)}/consumer/${e(c.consumer)}/version/${e(c.consumerVersion)}`;
  }

  function pactLinks(base: string, c: PublishedContract): Json {
    return {
      self: { href: pactUrl(base, c) },
      'pb:provider': { href: `${base}/pacticipants/${encodeURIComponent(c.provider)}`, name: c.provider },
      'pb:publish-verification-results': { href: `${pactUrl(base, c)}/verification-results` },
    };
  }

  /** Every provider's latest pact per consumer (the double ignores the selectors; it records them). */
  function forVerification(provider: string, base: string): Json {
    const latest = new Map<string, PublishedContract>();
    for (const c of contracts) if (c.provider === provider) latest.set(c.consumer, c);
    return {
      _embedded: {
        pacts: [...latest.values()].map((c) => ({
          shortDescription: `latest pact of ${c.consumer} version ${c.consumerVersion}`,
          verificationProperties: { pending: false, notices: [] },
          _links: { self: { href: pactUrl(base, c), name: `Pact between ${c.consumer} and ${provider}` } },
        })),
      },
      _links: { self: { href: `${base}/pacts/provider/${encodeURIComponent(provider)}/for-verification` } },
    };
  }

  /**
   * The matrix for the selectors `q[][pacticipant]` with `q[][version]` paired by position, or all versions when no
   * version is given. `latest=true` (can-i-deploy without --to-environment) keeps, per pact, the latest result.
   */
  function matrix(query: URLSearchParams, base: string): { status: number; body: Json } {
    const names = query.getAll('q[][pacticipant]');
    const versions = query.getAll('q[][version]');
    const known = pacticipants();
    const unknown = names.filter((name) => !known.has(name));
    if (names.length === 0 || unknown.length > 0) {
      return { status: 400, body: { errors: unknown.map((name) => `Pacticipant ${name} not found`) } };
    }
    const selectors = names.map((name, i) => ({ name, version: versions[i] }));
    for (const s of selectors) {
      const exists = s.version === undefined || contracts.some((c) => c.consumer === s.name && c.consumerVersion === s.version) ||
        verifications.some((v) => v.provider === s.name && v.providerVersion === s.version);
      if (!exists) {
        return {
          status: 200,
          body: { summary: { deployable: null, reason: `No version ${s.version} of ${s.name} found`, success: 0, failed: 0, unknown: 0 }, matrix: [] },
        };
      }
    }
    const wanted = (name: string, version: string) =>
      selectors.some((s) => s.name === name && (s.version === undefined || s.version === version));
    const onlyOne = selectors.length === 1;
    // can-i-deploy --to-environment: the other side is whatever is deployed or released in that environment.
    const environment = query.get('environment');
    const inTarget = (name: string, version: string) => environment === null || inEnvironment(name, environment).includes(version);
    const rows: Json[] = [];
    for (const c of contracts) {
      if (!wanted(c.consumer, c.consumerVersion)) continue;
      if (!onlyOne && !selectors.some((s) => s.name === c.provider)) continue;
      let results = verifications.filter(
        (v) => v.consumer === c.consumer && v.consumerVersion === c.consumerVersion && v.provider === c.provider &&
          (onlyOne || wanted(v.provider, v.providerVersion)) && inTarget(v.provider, v.providerVersion),
      );
      if (query.get('latest') === 'true' && results.length > 1) results = results.slice(-1);
      if (query.getAll('success[]').includes('true')) results = results.filter((v) => v.success);
      const pact = { createdAt: c.createdAt };
      const consumer = { name: c.consumer, version: { number: c.consumerVersion } };
      if (results.length === 0 && !query.getAll('success[]').length) {
        rows.push({ consumer, pact, provider: { name: c.provider, version: null }, verificationResult: null });
      }
      for (const v of results) {
        rows.push({
          consumer,
          pact,
          provider: { name: v.provider, version: { number: v.providerVersion } },
          verificationResult: { success: v.success, verifiedAt: v.verifiedAt, _links: { self: { href: `${base}/verification-results/${v.verifiedAt}` } } },
        });
      }
    }
    const success = rows.filter((r) => (r['verificationResult'] as { success?: boolean } | null)?.success === true).length;
    const failed = rows.filter((r) => (r['verificationResult'] as { success?: boolean } | null)?.success === false).length;
    const unknownCount = rows.length - success - failed;
    const deployable = rows.length === 0 || unknownCount > 0 ? null : failed === 0;
    const reason =
      deployable === true
        ? 'All required verification results are published and successful'
        : failed > 0
          ? 'One or more verifications have failed'
          : 'Missing one or more required verification results';
    return { status: 200, body: { summary: { deployable, reason, success, failed, unknown: unknownCount }, matrix: rows, _links: { self: { href: `${base}/matrix` } } } };
  }

  /** Provider states of the broker's published contract that this double implements (see the contract test). */
  function setState(state: string) {
    reset();
    let m: RegExpMatchArray | null;
    if ((m = state.match(/^the pact for (.+?) version (\S+) has been successfully verified by (.+?) version (\S+), and (\S+) unsuccessfully by (\S+)$/))) {
      const [, consumer, v1, provider, pv1, v2, pv2] = m as unknown as [string, string, string, string, string, string, string];
      seedContract(consumer, v1, provider);
      recordVerification({ consumer, consumerVersion: v1, provider, providerVersion: pv1, success: true });
      seedContract(consumer, v2, provider);
      recordVerification({ consumer, consumerVersion: v2, provider, providerVersion: pv2, success: false });
    } else if ((m = state.match(/^the pact for (.+?) version (\S+) has been verified by (.+?) version (\S+) and version (\S+)$/))) {
      const [, consumer, version, provider, pv1, pv2] = m as unknown as [string, string, string, string, string, string];
      seedContract(consumer, version, provider);
      recordVerification({ consumer, consumerVersion: version, provider, providerVersion: pv1, success: true });
      recordVerification({ consumer, consumerVersion: version, provider, providerVersion: pv2, success: true });
    } else if ((m = state.match(/^the pact for (.+?) version (\S+) and (\S+) has been verified by (.+?) version (\S+)$/))) {
      const [, consumer, v1, v2, provider, providerVersion] = m as unknown as [string, string, string, string, string, string];
      for (const version of [v1, v2]) {
        seedContract(consumer, version, provider);
        recordVerification({ consumer, consumerVersion: version, provider, providerVersion, success: true });
      }
    } else if ((m = state.match(/^the pact for (.+?) version (\S+) has been verified by (.+?) version (\S+)$/))) {
      const [, consumer, version, provider, providerVersion] = m as unknown as [string, string, string, string, string];
      seedContract(consumer, version, provider);
      recordVerification({ consumer, consumerVersion: version, provider, providerVersion, success: true });
    } else if ((m = state.match(/^version (\S+) of pacticipant (.+?) exists with (a test environment|2 environments that aren't test) available for (?:deployment|release)$/))) {
      const [, version, pacticipant, which] = m as unknown as [string, string, string, string];
      seededVersions.push({ pacticipant, version });
      environments.clear();
      if (which === 'a test environment') addEnvironment('test', 'cb632df3-0a0d-4227-aac3-60114dd36479');
      else for (const name of ['prod', 'dev']) addEnvironment(name);
    } else if (state === 'an environment with name test exists') {
      environments.clear();
      addEnvironment('test', '16926ef3-590f-4e3f-838e-719717aa88c9');
    }
    // Other states (the index relations, "none") need no data.
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    contracts,
    verifications,
    branchVersions,
    environmentRecords,
    recordVerification,
    seedContract,
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

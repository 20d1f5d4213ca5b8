/**
 * The consumer's pacts, read against the operation model: which interactions are of the tested operation, which a
 * new version of the document breaks (and by which change), and which send a field the document does not have.
 * Plain reading of pact files (V2 to V4), no Pact library: `contract diff --pacts` needs none of the optional pact
 * packages, and `pact check-spec` adds this to PactFlow's comparator, which lets an undocumented request field pass.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';
import type { ContractChange, ContractDiff } from './diff';
import type { OperationModel } from './model';

/** One pact interaction, in the parts this module reads. */
export interface PactInteraction {
  readonly file: string;
  /** Its place in the file's interactions. */
  readonly index: number;
  readonly description: string;
  /** Upper case. */
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, readonly string[]>>;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The request body, parsed when it is JSON; undefined when the interaction sends none. */
  readonly body: unknown;
  readonly status: number;
  /** The response body, parsed when it is JSON. */
  readonly responseBody: unknown;
}

type Node = Record<string, unknown>;
const isObject = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The `*.json` files of a pact directory, sorted; a one-line UserError when there are none. */
export function listPactFiles(dir: string): string[] {
  const shown = path.relative(process.cwd(), dir) || dir;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UserError(`${shown}: no such pact directory (run the consumer tests first: npm run pact:consumer)`);
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => path.join(dir, name));
  if (files.length === 0) throw new UserError(`${shown}: no pact files (*.json) found (run the consumer tests first: npm run pact:consumer)`);
  return files;
}

/** A pact file as JSON, with an interactions array; a one-line UserError otherwise. */
export function readPactDocument(file: string): { readonly interactions: readonly unknown[] } & Node {
  const shown = path.relative(process.cwd(), file) || file;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`${shown}: cannot read the pact: ${(error as Error).message}`);
  }
  if (!isObject(parsed) || !Array.isArray(parsed.interactions)) throw new UserError(`${shown}: not a pact file (no interactions array)`);
  return parsed as { readonly interactions: readonly unknown[] } & Node;
}

/** A body as the pact writes it (V4: `{content, contentType, encoded}`; earlier: the body itself), parsed if JSON. */
function bodyOf(body: unknown): unknown {
  if (isObject(body) && 'content' in body && ('contentType' in body || 'encoded' in body)) {
    if (body.encoded !== false && body.encoded !== undefined) return undefined;
    const content = body.content;
    if (typeof content === 'string' && typeof body.contentType === 'string' && /json/i.test(body.contentType)) {
      try {
        return JSON.parse(content);
      } catch {
        return content;
      }
    }
    return content;
  }
  return body === null ? undefined : body;
}

function queryOf(query: unknown): Record<string, string[]> {
  if (typeof query === 'string') {
    const params = new URLSearchParams(query);
    const out: Record<string, string[]> = {};
    for (const [key, value] of params) (out[key] ??= []).push(value);
    return out;
  }
  if (!isObject(query)) return {};
  return Object.fromEntries(Object.entries(query).map(([key, value]) => [key, Array.isArray(value) ? value.map(String) : [String(value)]]));
}

function headersOf(headers: unknown): Record<string, string> {
  if (!isObject(headers)) return {};
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), Array.isArray(value) ? value.map(String).join(', ') : String(value)]));
}

export function readInteractions(file: string): PactInteraction[] {
  const pact = readPactDocument(file);
  return pact.interactions.flatMap((raw, index): PactInteraction[] => {
    if (!isObject(raw) || !isObject(raw.request) || !isObject(raw.response)) return [];
    const request = raw.request;
    return [
      {
        file,
        index,
        description: typeof raw.description === 'string' ? raw.description : `interaction ${index}`,
        method: String(request.method ?? 'GET').toUpperCase(),
        path: String(request.path ?? '/'),
        query: queryOf(request.query),
        headers: headersOf(request.headers),
        body: bodyOf(request.body),
        status: Number(raw.response.status ?? 200),
        responseBody: bodyOf(raw.response.body),
      },
    ];
  });
}

function templateRegex(template: string): RegExp {
  const escaped = template
    .split(/\{[^}]*\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${escaped}/?$`);
}

/** Whether an interaction calls the model's operation (its method, and its path with or without the base path). */
function callsOperation(model: OperationModel, interaction: PactInteraction): boolean {
  if (interaction.method !== model.method) return false;
  return templateRegex(model.fullPath).test(interaction.path) || templateRegex(model.path).test(interaction.path);
}

/** The value at a dotted field (`stats.projects[].due`) of a body: every value found there. */
function valuesAt(body: unknown, field: string): unknown[] {
  let nodes: unknown[] = [body];
  for (const part of field.split('.')) {
    const many = part.endsWith('[]');
    const name = many ? part.slice(0, -2) : part;
    nodes = nodes.flatMap((node) => (isObject(node) && name in node ? [node[name]] : []));
    if (many) nodes = nodes.flatMap((node) => (Array.isArray(node) ? node : []));
  }
  return nodes;
}

const has = (body: unknown, field: string) => valuesAt(body, field).length > 0;

/** What credentials an interaction sends, as the model's scheme texts would name them. */
function sendsScheme(interaction: PactInteraction, scheme: string): boolean {
  const lower = scheme.toLowerCase();
  const authorization = interaction.headers.authorization ?? '';
  if (lower.startsWith('http ')) return authorization.toLowerCase().startsWith(`${lower.slice(5)} `);
  const query = /^api key in query parameter "(.+)"$/.exec(scheme)?.[1];
  if (query !== undefined) return query in interaction.query;
  const header = /^api key in header "(.+)"$/.exec(scheme)?.[1];
  if (header !== undefined) return header.toLowerCase() in interaction.headers;
  return false;
}

/** Why a change breaks an interaction, or undefined when it does not touch it. */
function breaks(change: ContractChange, interaction: PactInteraction): string | undefined {
  const success = interaction.status >= 200 && interaction.status < 300;
  const field = change.field;
  switch (change.id) {
    case 'operation-removed':
    case 'method-changed':
    case 'path-moved':
    case 'server-removed':
    case 'path-parameter-type-changed':
      return change.message;
    case 'request-body-became-required':
      return interaction.body === undefined ? 'sends no body, which is now required' : undefined;
    case 'request-property-removed':
      return field !== undefined && has(interaction.body, field) ? `sends ${'`'}${field}${'`'}, which the new document removed` : undefined;
    case 'request-property-type-changed':
    case 'request-property-constraint-narrowed':
    case 'request-property-became-not-nullable':
      return field !== undefined && has(interaction.body, field) ? `sends ${'`'}${field}${'`'}: ${change.message}` : undefined;
    case 'request-property-enum-value-removed': {
      if (field === undefined) return undefined;
      const sent = valuesAt(interaction.body, field).filter((value) => (change.values ?? []).some((removed) => removed === value));
      return sent.length > 0 ? `sends ${'`'}${field}${'`'} = ${sent.map((v) => JSON.stringify(v)).join(', ')}, no longer in its enum` : undefined;
    }
    case 'new-required-request-property':
    case 'request-property-became-required':
      return field !== undefined && !has(interaction.body, field) && success ? `does not send ${'`'}${field}${'`'}, which is now required` : undefined;
    case 'response-property-removed':
    case 'response-property-type-changed':
    case 'response-required-property-became-optional':
    case 'response-property-became-nullable':
      return field !== undefined && success && has(interaction.responseBody, field) ? `expects ${'`'}${field}${'`'} in the response: ${change.message}` : undefined;
    case 'response-status-removed':
      return change.status === String(interaction.status) ? `expects status ${interaction.status}, no longer documented` : undefined;
    case 'security-scheme-removed':
      return change.scheme !== undefined && sendsScheme(interaction, change.scheme) ? `authenticates with ${change.scheme}, no longer accepted` : undefined;
    default:
      return undefined;
  }
}

export interface BrokenInteraction {
  readonly interaction: PactInteraction;
  /** Each reason, with the id of the change behind it. */
  readonly reasons: readonly { readonly change: string; readonly reason: string }[];
}

export interface PactImpact {
  /** Interactions of the tested operation (in the old document). */
  readonly checked: number;
  readonly broken: readonly BrokenInteraction[];
}

/** The interactions of the old document's operation that the diff's breaking changes break, with why. */
export function pactImpact(diff: ContractDiff, before: OperationModel, interactions: readonly PactInteraction[]): PactImpact {
  const ofOperation = interactions.filter((interaction) => callsOperation(before, interaction));
  const breaking = diff.changes.filter((change) => change.level === 'breaking');
  const broken = ofOperation.flatMap((interaction): BrokenInteraction[] => {
    const reasons = breaking.flatMap((change) => {
      const reason = breaks(change, interaction);
      return reason === undefined ? [] : [{ change: change.id, reason }];
    });
    return reasons.length === 0 ? [] : [{ interaction, reasons }];
  });
  return { checked: ofOperation.length, broken };
}

/** Interactions of the operation that send a body field the document's request body does not have. */
export function undocumentedRequestFields(model: OperationModel, interactions: readonly PactInteraction[]): BrokenInteraction[] {
  return interactions
    .filter((interaction) => callsOperation(model, interaction))
    .flatMap((interaction): BrokenInteraction[] => {
      const body = interaction.body;
      if (!isObject(body)) return [];
      const unknown = Object.keys(body).filter((name) => !(name in model.bodyFieldsByName));
      if (unknown.length === 0) return [];
      return [
        {
          interaction,
          reasons: unknown.map((name) => ({
            change: 'request-field-undocumented',
            reason: `sends ${'`'}${name}${'`'}, which the document's ${model.operationId} request body does not have (a provider ignores it, so what the interaction expects of it cannot follow)`,
          })),
        },
      ];
    });
}

export function formatBroken(title: string, broken: readonly BrokenInteraction[], checked: number): string {
  const lines = [`${title} (${broken.length} of ${checked}):`];
  for (const { interaction, reasons } of broken) {
    const file = path.relative(process.cwd(), interaction.file) || interaction.file;
    lines.push(`  ${file}: "${interaction.description}" (${interaction.method} ${interaction.path} -> ${interaction.status})`);
    for (const { change, reason } of reasons) lines.push(`    ${change}: ${reason}`);
  }
  if (broken.length === 0) lines.push('  none');
  return lines.join('\n');
}

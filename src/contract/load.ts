/**
 * Loads the provider's OpenAPI document: validated against the OpenAPI 3.0 schema and dereferenced once, by a
 * maintained parser. Everything downstream (validators, lint, provider, checks, pacts) reads the contract from here.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3 } from 'openapi-types';
import { UserError, oneLine } from '../errors';

/**
 * The package's root (contracts/, pacts/, package.json): two levels up from this module, which holds both for the
 * TypeScript source (src/contract/) and for the build (dist/contract/), in a checkout or in node_modules.
 */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const DEFAULT_CONTRACT_FILE = path.join(PROJECT_ROOT, 'contracts', 'lilt-update-job.openapi.yaml');

export interface Contract {
  /** Absolute path of the document. */
  readonly file: string;
  /** The document as written: `$ref`s intact, for naming and pointing at places. */
  readonly raw: OpenAPIV3.Document;
  /** The same document with every `$ref` resolved. */
  readonly document: OpenAPIV3.Document;
}

const cache = new Map<string, Promise<Contract>>();

/** Loads (once per file and process) and validates the contract. Throws a UserError naming the file and problem. */
export function loadContract(file: string = DEFAULT_CONTRACT_FILE): Promise<Contract> {
  const absolute = path.resolve(file);
  let loaded = cache.get(absolute);
  if (!loaded) {
    loaded = parse(absolute);
    cache.set(absolute, loaded);
    loaded.catch(() => cache.delete(absolute));
  }
  return loaded;
}

async function parse(file: string): Promise<Contract> {
  const shown = path.relative(process.cwd(), file) || file;
  if (!fs.existsSync(file)) {
    throw new UserError(`${shown}: contract file not found (pass the path of an OpenAPI 3.0 document)`);
  }
  let raw: OpenAPIV3.Document;
  let document: OpenAPIV3.Document;
  try {
    // parse() keeps the $refs; validate() checks the document against the OpenAPI schema and dereferences a copy.
    raw = (await SwaggerParser.parse(file)) as OpenAPIV3.Document;
    document = (await SwaggerParser.validate(structuredClone(raw), {
      dereference: { circular: false },
    })) as OpenAPIV3.Document;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UserError(`${shown}: not a valid OpenAPI document: ${oneLine(message).slice(0, 500)}`);
  }
  if (typeof raw.openapi !== 'string' || !raw.openapi.startsWith('3.0.')) {
    throw new UserError(`${shown}: expected an OpenAPI 3.0.x document, found openapi: ${String(raw.openapi)}`);
  }
  return { file, raw, document };
}

/**
 * Finds every schema object written in the document (not following `$ref`s, so each is visited once, where it is
 * defined), with a pointer and a readable name, and pairs it with its dereferenced form.
 */
import type { OpenAPIV3 } from 'openapi-types';
import type { Contract } from '../contract/load';
import { escapePointer, operations, type Operation } from '../contract/operation';
import type { ExampleSite, LintContext, SchemaSite } from './types';

type Node = Record<string, unknown>;

function at(document: unknown, pointer: string): unknown {
  let node = document;
  for (const token of pointer.split('/').slice(1)) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    node = node && typeof node === 'object' ? (node as Node)[key] : undefined;
  }
  return node;
}

function isRef(node: unknown): boolean {
  return !!node && typeof node === 'object' && '$ref' in node;
}

/** Objects only: a document may be broken outside the tested operation (a `responses: 7`), and the lint reads it all. */
function isObject(node: unknown): node is Node {
  return !!node && typeof node === 'object' && !Array.isArray(node);
}

type Direction = SchemaSite['direction'];

/** Collects the schema and example sites of one document as it walks it (each schema where it is written). */
class SiteCollector {
  readonly schemas: SchemaSite[] = [];
  readonly examples: ExampleSite[] = [];

  constructor(private readonly contract: Contract) {}

  /** A schema and every schema written inside it (properties, items, additionalProperties, allOf/oneOf/anyOf, not). */
  schema(node: unknown, pointer: string, name: string, direction: Direction): void {
    if (!node || typeof node !== 'object' || isRef(node)) return;
    const raw = node as OpenAPIV3.SchemaObject;
    this.schemas.push({ pointer, name, raw, resolved: this.resolve(pointer), direction });
    for (const [prop, sub] of Object.entries(isObject(raw.properties) ? raw.properties : {})) {
      this.schema(sub, `${pointer}/properties/${escapePointer(prop)}`, `${name}.${prop}`, direction);
    }
    if ('items' in raw) this.schema(raw.items, `${pointer}/items`, `${name}[]`, direction);
    if (typeof raw.additionalProperties === 'object') {
      this.schema(raw.additionalProperties, `${pointer}/additionalProperties`, `${name}{}`, direction);
    }
    for (const keyword of ['allOf', 'oneOf', 'anyOf'] as const) {
      const parts = raw[keyword];
      if (Array.isArray(parts)) parts.forEach((sub, i) => this.schema(sub, `${pointer}/${keyword}/${i}`, name, direction));
    }
    if (raw.not) this.schema(raw.not, `${pointer}/not`, `${name}(not)`, direction);
  }

  /** A request body's or response's content: each media type's schema, its example and its named examples. */
  content(content: Record<string, OpenAPIV3.MediaTypeObject> | undefined, pointer: string, name: string, direction: Direction): void {
    for (const [mediaType, media] of Object.entries(isObject(content) ? content : {})) {
      if (!isObject(media)) continue;
      const mediaPointer = `${pointer}/content/${escapePointer(mediaType)}`;
      const schemaName = (media.schema as OpenAPIV3.SchemaObject | undefined)?.title ?? `${name} (${mediaType})`;
      this.schema(media.schema, `${mediaPointer}/schema`, schemaName, direction);
      if (!media.schema) continue;
      const schema = this.resolve(`${mediaPointer}/schema`);
      if (media.example !== undefined) {
        this.examples.push({ pointer: `${mediaPointer}/example`, name: `${name} (${mediaType})`, example: media.example, schema, direction });
      }
      for (const [key, example] of Object.entries(isObject(media.examples) ? media.examples : {})) {
        if (isRef(example)) continue;
        this.examples.push({
          pointer: `${mediaPointer}/examples/${escapePointer(key)}/value`,
          name: `${name} (${mediaType}) example '${key}'`,
          example: (example as OpenAPIV3.ExampleObject).value,
          schema,
          direction,
        });
      }
    }
  }

  /** The reusable schemas and responses under `components`. */
  components(): void {
    const raw = this.contract.raw;
    for (const [key, schema] of Object.entries(isObject(raw.components?.schemas) ? raw.components.schemas : {})) {
      this.schema(schema, `/components/schemas/${escapePointer(key)}`, key, 'response');
    }
    for (const [key, response] of Object.entries(isObject(raw.components?.responses) ? raw.components.responses : {})) {
      if (isObject(response) && !isRef(response)) {
        this.content((response as OpenAPIV3.ResponseObject).content, `/components/responses/${escapePointer(key)}`, key, 'response');
      }
    }
  }

  /** An operation as written: its parameters (schema and example), its request body and its responses. */
  operation(operation: Operation): void {
    const written = at(this.contract.raw, operation.pointer) as OpenAPIV3.OperationObject;
    (Array.isArray(written.parameters) ? written.parameters : []).forEach((parameter, i) => {
      if (!isObject(parameter) || isRef(parameter)) return;
      this.parameter(operation, parameter as OpenAPIV3.ParameterObject, `${operation.pointer}/parameters/${i}`);
    });
    if (isObject(written.requestBody) && !isRef(written.requestBody)) {
      const body = written.requestBody as OpenAPIV3.RequestBodyObject;
      this.content(body.content, `${operation.pointer}/requestBody`, `${operation.operationId} request body`, 'request');
    }
    for (const [status, response] of Object.entries(isObject(written.responses) ? written.responses : {})) {
      if (!isObject(response) || isRef(response)) continue;
      const name = `${operation.operationId} ${status} response`;
      this.content((response as OpenAPIV3.ResponseObject).content, `${operation.pointer}/responses/${escapePointer(status)}`, name, 'response');
    }
  }

  private parameter(operation: Operation, parameter: OpenAPIV3.ParameterObject, pointer: string): void {
    const name = `${operation.operationId} parameter ${parameter.name}`;
    this.schema(parameter.schema, `${pointer}/schema`, name, 'request');
    if (parameter.example !== undefined && parameter.schema) {
      this.examples.push({ pointer: `${pointer}/example`, name, example: parameter.example, schema: this.resolve(`${pointer}/schema`), direction: 'request' });
    }
  }

  /** The dereferenced schema at a pointer. */
  private resolve(pointer: string): OpenAPIV3.SchemaObject {
    return at(this.contract.document, pointer) as OpenAPIV3.SchemaObject;
  }
}

export function buildLintContext(contract: Contract): LintContext {
  const sites = new SiteCollector(contract);
  sites.components();
  for (const operation of operations(contract)) sites.operation(operation);
  return { contract, schemas: sites.schemas, examples: sites.examples };
}

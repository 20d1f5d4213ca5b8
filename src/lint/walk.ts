/**
 * Finds every schema object written in the document (not following `$ref`s, so each is visited once, where it is
 * defined), with a pointer and a readable name, and pairs it with its dereferenced form.
 */
import type { OpenAPIV3 } from 'openapi-types';
import type { Contract } from '../contract/load';
import { escapePointer, operations } from '../contract/operation';
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

export function buildLintContext(contract: Contract): LintContext {
  const schemas: SchemaSite[] = [];
  const examples: ExampleSite[] = [];
  const resolve = (pointer: string) => at(contract.document, pointer) as OpenAPIV3.SchemaObject;

  const visit = (node: unknown, pointer: string, name: string, direction: SchemaSite['direction']) => {
    if (!node || typeof node !== 'object' || isRef(node)) return;
    const raw = node as OpenAPIV3.SchemaObject;
    schemas.push({ pointer, name, raw, resolved: resolve(pointer), direction });
    for (const [prop, sub] of Object.entries(isObject(raw.properties) ? raw.properties : {})) {
      visit(sub, `${pointer}/properties/${escapePointer(prop)}`, `${name}.${prop}`, direction);
    }
    if ('items' in raw) visit(raw.items, `${pointer}/items`, `${name}[]`, direction);
    if (typeof raw.additionalProperties === 'object') {
      visit(raw.additionalProperties, `${pointer}/additionalProperties`, `${name}{}`, direction);
    }
    for (const keyword of ['allOf', 'oneOf', 'anyOf'] as const) {
      const parts = raw[keyword];
      if (Array.isArray(parts)) parts.forEach((sub, i) => visit(sub, `${pointer}/${keyword}/${i}`, name, direction));
    }
    if (raw.not) visit(raw.not, `${pointer}/not`, `${name}(not)`, direction);
  };

  const visitContent = (
    content: Record<string, OpenAPIV3.MediaTypeObject> | undefined,
    pointer: string,
    name: string,
    direction: SchemaSite['direction'],
  ) => {
    for (const [mediaType, media] of Object.entries(isObject(content) ? content : {})) {
      if (!isObject(media)) continue;
      const mediaPointer = `${pointer}/content/${escapePointer(mediaType)}`;
      const schemaName = (media.schema as OpenAPIV3.SchemaObject | undefined)?.title ?? `${name} (${mediaType})`;
      visit(media.schema, `${mediaPointer}/schema`, schemaName, direction);
      if (media.example !== undefined && media.schema) {
        examples.push({
          pointer: `${mediaPointer}/example`,
          name: `${name} (${mediaType})`,
          example: media.example,
          schema: resolve(`${mediaPointer}/schema`),
          direction,
        });
      }
      for (const [key, example] of Object.entries(isObject(media.examples) ? media.examples : {})) {
        if (isRef(example) || !media.schema) continue;
        examples.push({
          pointer: `${mediaPointer}/examples/${escapePointer(key)}/value`,
          name: `${name} (${mediaType}) example '${key}'`,
          example: (example as OpenAPIV3.ExampleObject).value,
          schema: resolve(`${mediaPointer}/schema`),
          direction,
        });
      }
    }
  };

  const raw = contract.raw;
  for (const [key, schema] of Object.entries(isObject(raw.components?.schemas) ? raw.components.schemas : {})) {
    visit(schema, `/components/schemas/${escapePointer(key)}`, key, 'response');
  }
  for (const [key, response] of Object.entries(isObject(raw.components?.responses) ? raw.components.responses : {})) {
    if (isObject(response) && !isRef(response)) {
      visitContent((response as OpenAPIV3.ResponseObject).content, `/components/responses/${escapePointer(key)}`, key, 'response');
    }
  }
  for (const operation of operations(contract)) {
    const written = at(raw, operation.pointer) as OpenAPIV3.OperationObject;
    (Array.isArray(written.parameters) ? written.parameters : []).forEach((parameter, i) => {
      if (!isObject(parameter) || isRef(parameter)) return;
      const p = parameter as OpenAPIV3.ParameterObject;
      const pointer = `${operation.pointer}/parameters/${i}`;
      visit(p.schema, `${pointer}/schema`, `${operation.operationId} parameter ${p.name}`, 'request');
      if (p.example !== undefined && p.schema) {
        examples.push({
          pointer: `${pointer}/example`,
          name: `${operation.operationId} parameter ${p.name}`,
          example: p.example,
          schema: resolve(`${pointer}/schema`),
          direction: 'request',
        });
      }
    });
    if (isObject(written.requestBody) && !isRef(written.requestBody)) {
      const body = written.requestBody as OpenAPIV3.RequestBodyObject;
      visitContent(body.content, `${operation.pointer}/requestBody`, `${operation.operationId} request body`, 'request');
    }
    for (const [status, response] of Object.entries(isObject(written.responses) ? written.responses : {})) {
      if (!isObject(response) || isRef(response)) continue;
      visitContent(
        (response as OpenAPIV3.ResponseObject).content,
        `${operation.pointer}/responses/${escapePointer(status)}`,
        `${operation.operationId} ${status} response`,
        'response',
      );
    }
  }
  return { contract, schemas, examples };
}

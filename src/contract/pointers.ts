/**
 * Pointers a person can follow. The lint walks the OpenAPI 3 form of the document; for a Swagger 2.0 document that is
 * swagger2openapi's conversion, which the person never sees. This maps a pointer into the conversion back to the
 * place in the Swagger 2.0 document as written, where the two correspond one to one (definitions, a body parameter's
 * schema, a response's schema, security definitions). A pointer that has no such place is returned as it is.
 */
import type { Contract } from './load';
import { nodeAt } from './selector';

type Node = Record<string, unknown>;
const isObject = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

function bodyParameterIndex(written: unknown, pathToken: string, method: string): number | undefined {
  const parameters = nodeAt(written, `/paths/${pathToken}/${method}/parameters`);
  if (!Array.isArray(parameters)) return undefined;
  const index = parameters.findIndex((parameter) => isObject(parameter) && parameter.in === 'body');
  return index < 0 ? undefined : index;
}

function mapped(written: unknown, tokens: string[]): string | undefined {
  const [root, a, b, c, d, e, f, ...rest] = tokens;
  const join = (parts: (string | undefined)[]) => `/${parts.filter((part): part is string => part !== undefined).join('/')}`;
  if (root === 'components') {
    const section = { schemas: 'definitions', parameters: 'parameters', securitySchemes: 'securityDefinitions' }[a ?? ''];
    if (section !== undefined) return join([section, b, c, d, e, f, ...rest]);
    // components/responses/X/content/<media>/schema/... -> responses/X/schema/...
    if (a === 'responses' && c === 'content' && e === 'schema') return join(['responses', b, 'schema', f, ...rest]);
    return undefined;
  }
  if (root === 'paths' && a !== undefined && b !== undefined) {
    // paths/P/M/requestBody/content/<media>/schema/... -> paths/P/M/parameters/<body>/schema/...
    if (c === 'requestBody' && d === 'content' && f === 'schema') {
      const index = bodyParameterIndex(written, a, b);
      return index === undefined ? undefined : join(['paths', a, b, 'parameters', String(index), 'schema', ...rest]);
    }
    // paths/P/M/responses/S/content/<media>/schema/... -> paths/P/M/responses/S/schema/...
    if (c === 'responses' && e === 'content' && rest[0] === 'schema') return join(['paths', a, b, 'responses', d, ...rest]);
  }
  return undefined;
}

/** The pointer into the document as written: for a Swagger 2.0 document, mapped back from its conversion. */
export function writtenPointer(contract: Contract, pointer: string): string {
  if (contract.format.spec !== 'swagger' || nodeAt(contract.written, pointer) !== undefined && !pointer.startsWith('/components/')) {
    return pointer;
  }
  const tokens = pointer.split('/').slice(1);
  const candidate = mapped(contract.written, tokens);
  if (candidate === undefined) return pointer;
  // The last token may be an annotation the conversion added (an example it moved): accept the place if its parent exists.
  const parent = candidate.slice(0, candidate.lastIndexOf('/'));
  return nodeAt(contract.written, candidate) !== undefined || nodeAt(contract.written, parent) !== undefined ? candidate : pointer;
}

/**
 * Maps a pointer into the OpenAPI 3 form of a Swagger 2.0 document back to the Swagger document as written, so that
 * the lint points where the person can look. The lint walks the OpenAPI 3 form, which for a Swagger 2.0 document is
 * swagger2openapi's conversion, never seen by the person. Places that correspond one to one (definitions, a body
 * parameter's schema, a response's schema, security definitions) are mapped; a pointer that has no such place is
 * returned as it is.
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

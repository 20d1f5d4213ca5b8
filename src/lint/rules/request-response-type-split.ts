/**
 * A field a client sends and reads back should have one type. When the request body and the success response
 * disagree (isProcessing: a string enum in, an integer out), clients and mocks must guess how to map one to the other.
 */
import type { OpenAPIV3 } from 'openapi-types';
import { escapePointer, operations } from '../../contract/operation';
import type { LintFinding, LintRule } from '../types';

export const requestResponseTypeSplit: LintRule = {
  id: 'request-response-type-split',
  severity: 'warning',
  description: 'A property sent in the request body has the same type in the success response.',
  run({ contract, schemas }) {
    const findings: LintFinding[] = [];
    for (const operation of operations(contract)) {
      const requestPointer = `${operation.pointer}/requestBody/content/application~1json/schema`;
      const request = schemas.find((site) => site.pointer === requestPointer);
      if (!request) continue;
      const responses = operation.definition.responses as unknown;
      for (const [status, response] of Object.entries(typeof responses === 'object' && responses !== null ? responses : {})) {
        if (!status.startsWith('2') || typeof response !== 'object' || response === null) continue;
        const schema = (response as OpenAPIV3.ResponseObject).content?.['application/json']?.schema as
          | OpenAPIV3.SchemaObject
          | undefined;
        for (const [prop, sent] of Object.entries(request.resolved.properties ?? {})) {
          const sentType = (sent as OpenAPIV3.SchemaObject).type;
          const back = schema?.properties?.[prop] as OpenAPIV3.SchemaObject | undefined;
          if (!back || back.type === sentType) continue;
          const responseSite = schemas.find((site) => site.resolved === back);
          findings.push({
            rule: this.id,
            severity: this.severity,
            pointer: `${requestPointer}/properties/${escapePointer(prop)}`,
            name: `${request.name}.${prop}`,
            message: `is ${String(sentType)} in the request body but ${String(back.type)} in the ${status} response (${responseSite?.name ?? prop})`,
          });
        }
      }
    }
    return findings;
  },
};

/**
 * Every `example` must be valid against the schema it illustrates: generators, mocks and readers take examples at
 * their word.
 */
import type { OpenAPIV3 } from 'openapi-types';
import { createAjv } from '../../validation/ajv';
import { toJsonSchema } from '../../validation/openapi-dialect';
import { formatViolations, trimmed, violationFromAjv } from '../../validation/violations';
import type { LintFinding, LintRule } from '../types';

export const exampleMatchesSchema: LintRule = {
  id: 'example-matches-schema',
  severity: 'error',
  description: 'Every example is valid against its own schema.',
  run({ schemas, examples }) {
    const ajv = createAjv();
    const findings: LintFinding[] = [];
    const check = (
      pointer: string,
      name: string,
      example: unknown,
      schema: OpenAPIV3.SchemaObject,
      direction: 'request' | 'response',
    ) => {
      let validate: ReturnType<typeof ajv.compile>;
      try {
        validate = ajv.compile(toJsonSchema(schema, direction));
      } catch (error) {
        // A schema ajv cannot compile (an unknown format such as "Date"): the example cannot be judged here.
        findings.push({
          rule: this.id,
          severity: 'warning',
          pointer,
          name,
          message: `cannot be checked: its schema cannot be compiled (${error instanceof Error ? error.message : String(error)})`,
        });
        return;
      }
      if (validate(example)) return;
      findings.push({
        rule: this.id,
        severity: this.severity,
        pointer,
        name,
        message: `example ${trimmed(example, 60)} is not valid against its own schema: ${formatViolations(
          (validate.errors ?? []).map(violationFromAjv),
        ).replace(/\n/g, '; ')}`,
      });
    };
    for (const site of schemas) {
      if (site.raw.example !== undefined) {
        check(`${site.pointer}/example`, site.name, site.raw.example, site.resolved, site.direction);
      }
    }
    for (const site of examples) check(site.pointer, site.name, site.example, site.schema, site.direction);
    return findings;
  },
};

/** What the spec lint's rules take (the document's schemas, where each is written) and what they find. */
import type { OpenAPIV3 } from 'openapi-types';
import type { Contract } from '../contract/load';

export type Severity = 'error' | 'warning';

/** One thing wrong with the document. Identified by rule + pointer, which is what a baseline entry names. */
export interface LintFinding {
  readonly rule: string;
  readonly severity: Severity;
  /** JSON pointer into the document as written (with `$ref`s), e.g. `/components/schemas/Job/properties/due`. */
  readonly pointer: string;
  /** A readable name for the place, e.g. `JobUpdateParameters.isProcessing`. */
  readonly name: string;
  readonly message: string;
}

/** A schema object of the document, where it is written, and what it resolves to. */
export interface SchemaSite {
  readonly pointer: string;
  readonly name: string;
  /** As written: may hold `$ref`s below it. */
  readonly raw: OpenAPIV3.SchemaObject;
  /** The same node in the dereferenced document. */
  readonly resolved: OpenAPIV3.SchemaObject;
  /** Request bodies are read as requests (readOnly not required), everything else as responses. */
  readonly direction: 'request' | 'response';
}

/** A media type object or parameter that may carry an `example` next to its schema. */
export interface ExampleSite {
  readonly pointer: string;
  readonly name: string;
  readonly example: unknown;
  readonly schema: OpenAPIV3.SchemaObject;
  readonly direction: 'request' | 'response';
}

export interface LintContext {
  readonly contract: Contract;
  readonly schemas: readonly SchemaSite[];
  readonly examples: readonly ExampleSite[];
}

export interface LintRule {
  readonly id: string;
  readonly severity: Severity;
  /** What the rule asks of a document, in one sentence. */
  readonly description: string;
  run(context: LintContext): LintFinding[];
}

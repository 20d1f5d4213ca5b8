/**
 * Types for @pactflow/openapi-pact-comparator 1.7. Its own declarations are not reachable under this project's
 * `moduleResolution: node` (no top-level `types`, and they import `#documents/...` subpaths), so the part this project
 * uses is declared here, following dist/src/index.d.ts and dist/src/results/index.d.ts of that release.
 */
declare module '@pactflow/openapi-pact-comparator' {
  import type { OpenAPIV2, OpenAPIV3 } from 'openapi-types';

  export interface PactDocument {
    readonly interactions: readonly unknown[];
    readonly metadata?: unknown;
  }

  export interface ComparatorResult {
    readonly code: string;
    readonly message: string;
    readonly mockDetails?: {
      readonly interactionDescription?: string | null;
      readonly interactionState?: string | null;
      readonly location: string;
      readonly value: unknown;
    };
    readonly specDetails?: {
      readonly location: string;
      readonly pathMethod?: string | null;
      readonly pathName?: string | null;
      readonly value: unknown;
    };
    readonly type: 'error' | 'warning';
  }

  export class Comparator {
    constructor(oas: OpenAPIV2.Document | OpenAPIV3.Document);
    compare(pact: PactDocument): AsyncGenerator<ComparatorResult>;
  }
}

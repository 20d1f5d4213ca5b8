/**
 * Types for swagger2openapi 7 (which ships none): the one call this project makes, `convertObj`, as its README
 * documents it (https://github.com/Mermade/oas-kit/blob/main/packages/swagger2openapi/README.md).
 */
declare module 'swagger2openapi' {
  export interface ConvertOptions {
    /** Fix up small errors in the source document instead of failing. */
    readonly patch?: boolean;
    /** Mark what cannot be converted with an `x-s2o-warning` property instead of failing. */
    readonly warnOnly?: boolean;
    /** Resolve external references (this project bundles them itself first). */
    readonly resolve?: boolean;
  }

  export interface ConvertResult {
    /** The OpenAPI 3.0.0 document. */
    readonly openapi: Record<string, unknown>;
    /** How many patches were applied. */
    readonly patches: number;
  }

  export function convertObj(swagger: unknown, options: ConvertOptions): Promise<ConvertResult>;
}

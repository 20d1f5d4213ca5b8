/**
 * The client's types, taken from the types generated out of the contract (`generated/openapi.ts`, regenerated with
 * `npm run client:generate`; a test fails when it is stale). Nothing here is typed by hand: if the document changes a
 * field, the path or the method, the compiler says where the client no longer fits.
 */
import type { components, operations, paths } from './generated/openapi';

type UpdateJobOperation = operations['updateJob'];

/** A Job as the provider returns it (the document's `Job` schema). */
export type Job = components['schemas']['Job'];
/** The body of an error response (the document's `Error` schema). */
export type ErrorBody = components['schemas']['Error'];
/** The job id path parameter. */
export type JobId = UpdateJobOperation['parameters']['path']['jobId'];
/** The request body (`JobUpdateParameters`); every field optional. */
export type JobUpdateParameters = NonNullable<UpdateJobOperation['requestBody']>['content']['application/json'];
/** The string values the document's `isProcessing` enum allows in a request. */
export type IsProcessingValue = NonNullable<JobUpdateParameters['isProcessing']>;

/** The path template; the annotation makes the compiler check it is a path of the document. */
export const UPDATE_JOB_PATH: keyof paths & '/v2/jobs/{jobId}' = '/v2/jobs/{jobId}';
/** The HTTP methods a path item of the generated types actually defines (the others are typed `never`). */
type DefinedMethod<Item> = {
  [M in Exclude<keyof Item, 'parameters'>]-?: [NonNullable<Item[M]>] extends [never] ? never : M;
}[Exclude<keyof Item, 'parameters'>];
/** The method; the annotation makes the compiler check the document defines it on that path. */
export const UPDATE_JOB_METHOD: DefinedMethod<paths[typeof UPDATE_JOB_PATH]> & 'put' = 'put';

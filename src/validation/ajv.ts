/**
 * The one ajv set-up for OpenAPI 3.0 schemas: strict mode on, every error collected, OpenAPI annotations declared,
 * ajv-formats for the OpenAPI formats (int32, int64, byte, ...), and `date-time` replaced by strict RFC 3339 (a leap
 * second only at 23:59:60 UTC on the last day of a month: see isRfc3339ResponseDateTime).
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { isRfc3339ResponseDateTime } from './date-time';

const AJV_FORMATS_BUT_DATE_TIME = [
  'date', 'time', 'iso-time', 'iso-date-time', 'duration', 'uri', 'uri-reference', 'uri-template', 'url', 'email',
  'hostname', 'ipv4', 'ipv6', 'regex', 'uuid', 'json-pointer', 'json-pointer-uri-fragment', 'relative-json-pointer',
  'byte', 'int32', 'int64', 'float', 'double', 'password', 'binary',
] as const;

/** OpenAPI 3.0 keywords that carry no validation. */
const OPENAPI_ANNOTATIONS = ['example', 'xml', 'externalDocs'];

export function createAjv(): Ajv {
  const ajv = new Ajv({ strict: true, allErrors: true, discriminator: true, verbose: true });
  addFormats(ajv, { mode: 'full', formats: [...AJV_FORMATS_BUT_DATE_TIME] });
  ajv.addFormat('date-time', { type: 'string', validate: isRfc3339ResponseDateTime });
  ajv.addVocabulary(OPENAPI_ANNOTATIONS);
  return ajv;
}

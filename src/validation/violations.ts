/**
 * ajv's errors as data a person can act on: where (JSON pointer), which rule, what was expected, what was there.
 */
import type { ErrorObject } from 'ajv';
import { redactForExcerpt } from '../http/key-scan';

export interface SchemaViolation {
  /** JSON pointer into the validated value ('' is the whole value). */
  readonly pointer: string;
  /** The schema keyword broken (type, enum, required, format, ...), or 'json' / 'content-type' before any schema. */
  readonly keyword: string;
  readonly expected: string;
  /** The value found, as trimmed JSON. */
  readonly actual: string;
}

export function trimmed(value: unknown, max = 120): string {
  let text: string;
  if (value === undefined) text = '(absent)';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  // Redacted before it is cut: a cut could leave a part of the key the redaction would no longer know.
  const shown = text.length > max ? redactForExcerpt(text) : text;
  return detached(shown.length > max ? `${shown.slice(0, max)}... (${text.length} chars)` : shown);
}

/**
 * A copy of `text` that holds nothing else. V8 keeps a slice of a string (and a concatenation) as a view of the
 * strings it came from: a 160-character excerpt of a 1 MiB body, kept in a finding, kept the whole MiB alive. A copy
 * through a buffer is a string of its own (UTF-16, so every code unit survives, a lone surrogate included).
 */
export function detached(text: string): string {
  return Buffer.from(text, 'utf16le').toString('utf16le');
}

export function violationFromAjv(error: ErrorObject): SchemaViolation {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      return {
        pointer: `${error.instancePath}/${missing.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        keyword: 'required',
        expected: `property '${missing}' to be present`,
        actual: '(absent)',
      };
    }
    case 'enum':
      return {
        pointer: error.instancePath,
        keyword: 'enum',
        expected: `one of ${trimmed(params.allowedValues)}`,
        actual: trimmed(error.data),
      };
    case 'type':
      return {
        pointer: error.instancePath,
        keyword: 'type',
        expected: `type ${String(params.type)}`,
        actual: `${trimmed(error.data)} (${jsonType(error.data)})`,
      };
    case 'format':
      return {
        pointer: error.instancePath,
        keyword: 'format',
        expected: `format ${String(params.format)}${params.format === 'date-time' ? ' (RFC 3339 section 5.6)' : ''}`,
        actual: trimmed(error.data),
      };
    default:
      return {
        pointer: error.instancePath,
        keyword: error.keyword,
        expected: error.message ?? error.keyword,
        actual: trimmed(error.data),
      };
  }
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** One line per violation: `/id: type: expected type integer, got "241" (string)`. */
export function formatViolation(v: SchemaViolation): string {
  return `${v.pointer || '(root)'}: ${v.keyword}: expected ${v.expected}, got ${v.actual}`;
}

export function formatViolations(violations: readonly SchemaViolation[]): string {
  return violations.map(formatViolation).join('\n');
}

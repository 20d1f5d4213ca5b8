/**
 * The body of an update (BEHAVIOUR.md, "The body"): optional; otherwise UTF-8 JSON holding an object, valid against
 * the contract's JobUpdateParameters schema (types, the isProcessing enum, strict RFC 3339 `due`). Where the document
 * contradicts itself, isProcessing may also be sent as the JSON number of an enum value. Unknown and read-only
 * properties are ignored: only the request fields the Job also has are turned into changes. Of the open choices it
 * takes the refusing side: a leap second in a date-time (which the schema's date-time format lets through, as RFC 3339
 * does) gets 400.
 */
import { isRfc3339DateTime } from '../validation/date-time';
import type { BodyValidator } from '../validation/validators';
import { formatViolation, type SchemaViolation } from '../validation/violations';
import type { UpdatableField } from '../contract/model';
import type { JobChanges } from './store';

export type UpdateOutcome =
  | { readonly valid: true; readonly changes: JobChanges }
  | { readonly valid: false; readonly message: string };

// ignoreBOM keeps a byte-order mark in the text, so JSON.parse refuses it: RFC 8259 forbids sending one.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export interface UpdateRules {
  /** `body` is the raw request body, undefined when the request had none. */
  parse(body: Buffer | undefined): UpdateOutcome;
}

/** Whether a JSON value has the schema's declared type (any value does when the schema declares none). */
function hasDeclaredType(value: unknown, type: string | undefined): boolean {
  switch (type) {
    case undefined:
      return true;
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    default:
      return typeof value === type;
  }
}

/** A property name as a JSON pointer token (RFC 6901: `~` as `~0`, `/` as `~1`). */
function pointerToken(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * The value each numeric enum's field stands as in the schema's eyes: an enum value of the declared JSON type, so the
 * schema passes it; none when no enum value has that type (`type: string`, `enum: [0, 1, -2]`), and then what the
 * schema says of that field is set aside (`aboutUnsatisfiable`).
 */
function enumStandIns(numericEnums: readonly UpdatableField[]) {
  const standIns = new Map<string, { value: unknown }>();
  for (const field of numericEnums) {
    const standIn = (field.requestEnum ?? []).find((value) => hasDeclaredType(value, field.schema.type));
    if (standIn !== undefined) standIns.set(field.name, { value: standIn });
  }
  const unsatisfiable = numericEnums.filter((field) => !standIns.has(field.name)).map((field) => ({ name: field.name, at: `/${pointerToken(field.name)}` }));
  const aboutUnsatisfiable = (violation: SchemaViolation, body: Record<string, unknown>): boolean =>
    unsatisfiable.some(
      // A `required` violation points at the missing property too.
      ({ name, at }) => Object.hasOwn(body, name) && (violation.pointer === at || violation.pointer.startsWith(`${at}/`)),
    );
  return { standIns, aboutUnsatisfiable };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A valid request value as the Job stores it: the integer of an enum string; a date-time with `T` and `Z` upper-case. */
function toJobValue(field: UpdatableField, value: unknown): unknown {
  if (field.jobType === 'integer' && typeof value === 'string') return Number(value);
  // RFC 3339 allows `t` and `z`; the same instant is written with the usual upper-case letters (digits are unaffected).
  if (field.jobFormat === 'date-time' && typeof value === 'string') return value.toUpperCase();
  return value;
}

export function createUpdateRules(fields: readonly UpdatableField[], requestBody: BodyValidator): UpdateRules {
  /**
   * Enums whose values all spell integers (isProcessing): BEHAVIOUR.md accepts each value as a string and as the JSON
   * number, whatever JSON types the document's enum mixes (`['0', '1', -2]` contradicts its `type: string`).
   */
  const numericEnums = fields.filter((field) => field.kind.type === 'enum' && field.kind.numeric);
  const { standIns, aboutUnsatisfiable } = enumStandIns(numericEnums);

  return {
    parse(body) {
      if (body === undefined || body.length === 0) return { valid: true, changes: {} };
      let text: string;
      try {
        text = utf8.decode(body);
      } catch {
        return { valid: false, message: 'request body is not UTF-8 text' };
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return { valid: false, message: `request body is not valid JSON: ${reason.slice(0, 200)}` };
      }
      if (!isPlainObject(parsed)) return { valid: false, message: 'request body must be a JSON object' };

      const candidate: Record<string, unknown> = { ...parsed };
      // The schema judges the rest of the body; a numeric enum's value is judged here, by BEHAVIOUR.md's rule, and
      // stands in the schema's eyes as the enum's first value (whatever JSON type the document gave it).
      const checked: Record<string, unknown> = { ...parsed };
      for (const field of numericEnums) {
        if (!Object.hasOwn(candidate, field.name) || field.kind.type !== 'enum') continue;
        const value = candidate[field.name];
        const spelled = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
        if (typeof spelled !== 'string' || !field.kind.values.includes(spelled)) {
          return { valid: false, message: `invalid request body: /${field.name}: expected one of ${field.kind.values.join(', ')} (as a string or a number), got ${JSON.stringify(value)}` };
        }
        candidate[field.name] = spelled;
        const standIn = standIns.get(field.name);
        if (standIn === undefined) delete checked[field.name];
        else checked[field.name] = standIn.value;
      }
      const result = requestBody.validate(checked);
      // A field whose enum no value of its declared type is in (`type: string`, `enum: [0, 1, -2]`) has no stand-in: the
      // schema could never pass it, so what it says of that field is set aside (the value was judged above).
      const violations = result.valid ? [] : result.violations.filter((violation) => !aboutUnsatisfiable(violation, candidate));
      if (violations.length > 0) {
        const shown = violations.slice(0, 3).map(formatViolation).join('; ');
        const more = violations.length > 3 ? ` (and ${violations.length - 3} more)` : '';
        return { valid: false, message: `invalid request body: ${shown}${more}` };
      }

      const leap = fields.find(
        (field) => field.jobFormat === 'date-time' && typeof candidate[field.name] === 'string' && !isRfc3339DateTime(candidate[field.name] as string),
      );
      if (leap !== undefined) return { valid: false, message: `invalid request body: /${leap.name}: a leap second is not accepted here` };

      const changes: Record<string, unknown> = {};
      for (const field of fields) {
        if (!Object.hasOwn(candidate, field.name)) continue;
        const value = candidate[field.name];
        changes[field.name] = toJobValue(field, value);
      }
      return { valid: true, changes };
    },
  };
}

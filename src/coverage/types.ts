/**
 * The values of the coverage phase: curated inputs (not random ones), each with a stable id, its class, what
 * BEHAVIOUR.md requires of it and the one-line source of that requirement. The vocabulary is the arbitraries' own
 * (`Expectation`, `FieldCase`, `IdCase`, `AuthCase`'s verdicts, `ExpectedChanges`, `Member`): a coverage value is
 * judged by the oracle that already judges a generated one.
 */
import type { Member } from '../arbitraries/jsonText';
import type { AuthCase, ExpectedChanges, Expectation, FieldCase, IdCase } from '../arbitraries/types';
import type { BasicSpelling, KeyForm } from '../http/request';

export type { BasicSpelling } from '../http/request';

export type DatasetName = 'strings' | 'date-times' | 'integers' | 'requests';

/** What every coverage value carries besides the input itself. */
export interface CoverageEntry {
  /**
   * `<dataset>/<class>/<name>`, unique in its dataset and the same on every run with the same contract and job ids
   * (the time-zone values also depend on the year the run starts in).
   */
  readonly id: string;
  readonly dataset: DatasetName;
  /** The class within the dataset (e.g. `reserved`, `century`, `scripts`): the unit of the size report. */
  readonly class: string;
  /** Why the value is there, for people. */
  readonly label: string;
  /** The passage that decides the expectation: BEHAVIOUR.md's section, or the RFC's. One line. */
  readonly source: string;
}

/**
 * How an accepted value must show in the Job (BEHAVIOUR.md, "The body"): a string exactly as sent, a date-time as the
 * same instant (any RFC 3339 form of it), an integer field as that integer.
 */
export type Stored =
  | { readonly as: 'exactly'; readonly value: string }
  | { readonly as: 'instant'; readonly value: string }
  | { readonly as: 'integer'; readonly value: number };

/** A value for one request body field, sent alone in the body (`{"<field>": <value>}`). */
export interface CoverageFieldValue extends FieldCase<unknown>, CoverageEntry {
  readonly kind: 'field';
  /** The request body property it is sent as. */
  readonly field: string;
  /**
   * The value's JSON text when `JSON.stringify(value)` would write something else: an integer beyond 2^53 (`value`
   * then holds the nearest double, for display only), `1.0` for 1. Send this text, not the value.
   */
  readonly valueText?: string;
  /**
   * accept: what the Job must show afterwards. open: what it must show if the value is accepted (undefined: the
   * field is not judged then). reject: undefined (the job must be unchanged).
   */
  readonly stored?: Stored;
  /**
   * Job properties an accepted value may set besides its own field, and so not judged then: a field that says it is a
   * date (`dueDate`, an integer "ISO date") may set the Job's date-time properties.
   */
  readonly mayAlsoSet?: readonly string[];
}

/** A path id segment, sent with the body `{}` (so a wrong reading of it changes no job). */
export interface CoverageIdValue extends IdCase, CoverageEntry {
  readonly kind: 'id';
}

/**
 * Credentials as the run's requests hold them: symbolic, each key a `KeyForm` the transport derives from the API key
 * at send time (see `wireCredentials`), so no dataset, request record or report ever holds the key. Both parts may be
 * present at once (Basic and the query parameter together); neither is "no credentials".
 */
export interface CoverageCredentials {
  readonly basic?: BasicSpelling;
  /** The API-key query parameter once per form, in order. */
  readonly query?: readonly KeyForm[];
}


/** One request of a combination: its credentials, its Accept header and its body. */
export interface CoverageRequest {
  readonly credentials: CoverageCredentials;
  /** The Accept header's value; undefined sends none. */
  readonly accept?: string;
  /** The body's JSON text (Content-Type application/json). */
  readonly body: string;
}

interface CombinationBase extends CoverageEntry {
  readonly kind: 'combination';
  readonly request: CoverageRequest;
}

/**
 * A request combination (credentials, Accept, a replay, duplicate keys), judged as a whole:
 * - `credentials`: authorized means the update proceeds (200, `changes` applied); unauthorized means 401 and no
 *   change (AuthCase's verdicts);
 * - `accept`: accept means the same answer as without an Accept header (200, `changes` applied); open means that or a
 *   406 with the Error body, and no change;
 * - `replay`: `before` is sent first and must be authorized with `changes`; `request`, the same request at once with no
 *   or a wrong key, must get 401 (a response cache must not answer it);
 * - `duplicate-keys`: `expectation` as BEHAVIOUR.md's open row says; if accepted, the field must show one of
 *   `storedOneOf` (only the valid values sent), every other field unchanged.
 */
export type CombinationValue =
  | (CombinationBase & { readonly what: 'credentials'; readonly expectation: AuthCase['expectation']; readonly changes: ExpectedChanges })
  | (CombinationBase & { readonly what: 'accept'; readonly expectation: Extract<Expectation, 'accept' | 'open'>; readonly changes: ExpectedChanges })
  | (CombinationBase & {
      readonly what: 'replay';
      readonly before: CoverageRequest;
      readonly expectation: 'unauthorized';
      /** What `before` sets. */
      readonly changes: ExpectedChanges;
    })
  | (CombinationBase & {
      readonly what: 'duplicate-keys';
      readonly field: string;
      /** The body's members in order, the field twice (`request.body` is their text). */
      readonly members: readonly Member[];
      readonly expectation: Expectation;
      readonly storedOneOf: readonly Stored[];
    });

export type CoverageValue = CoverageFieldValue | CoverageIdValue | CombinationValue;

/** A dataset: its values in a fixed order, and where its data comes from. */
export interface Dataset<V extends CoverageValue = CoverageValue> {
  readonly name: DatasetName;
  readonly title: string;
  /** Where the values come from, in words that do not change with the machine (for the generated docs). */
  readonly origin: string;
  /** Where the values come from on this machine (package and version, Node's ICU / tz / Unicode versions). */
  readonly provenance: string;
  /** The classes in the order they are reported. */
  readonly classes: readonly { readonly name: string; readonly title: string }[];
  readonly values: readonly V[];
}

/** A dataset's size, for the plan and the bench: values and requests per class (a replay is two requests). */
export interface SizeReport {
  readonly dataset: DatasetName;
  readonly values: number;
  readonly requests: number;
  readonly classes: readonly { readonly class: string; readonly values: number; readonly requests: number }[];
}

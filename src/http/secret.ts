/**
 * A text that must never be shown: a secret header's value, a proxy URL's credentials. It is kept in the RunConfig
 * (parsed once at the edge, like everything else) but prints, serialises and inspects as `[redacted]`; only the
 * transport calls `reveal()`, to put it on the wire.
 */
import { inspect } from 'node:util';

export const REDACTED_TEXT = '[redacted]';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The value itself: for the wire, and for the end-of-run scan that looks for it in what the run wrote. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED_TEXT;
  }

  toJSON(): string {
    return REDACTED_TEXT;
  }

  [inspect.custom](): string {
    return REDACTED_TEXT;
  }
}

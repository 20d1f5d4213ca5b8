/**
 * What the loader let through: the document breaks its version's schema, or has a `$ref` to nothing, outside the
 * tested operation's part (inside it, loading stops with an error instead). A warning: the rest of the document can be
 * read, and the tested operation does not depend on it. Pointers are into the document as written (the Swagger 2.0
 * one, for a Swagger document).
 */
import type { LintFinding, LintRule } from '../types';

/** `PUT /documents` for an operation's pointer, `definitions.Setting` for a component's, the pointer otherwise. */
function placeName(pointer: string): string {
  const tokens = pointer.split('/').slice(1).map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (tokens[0] === 'paths' && tokens.length >= 3) return `${tokens[2]!.toUpperCase()} ${tokens[1]}${tokens.length > 3 ? ` (${tokens.slice(3).join('.')})` : ''}`;
  if (tokens[0] === 'paths' && tokens.length === 2) return `path ${tokens[1]}`;
  return tokens.join('.') || '(the document)';
}

export const documentDefect: LintRule = {
  id: 'document-defect',
  severity: 'warning',
  description: "Outside the tested operation, the document is valid against its version's schema and every `$ref` points at something.",
  run({ contract }) {
    return contract.defects.map(
      (defect): LintFinding => ({
        rule: this.id,
        severity: this.severity,
        pointer: defect.pointer,
        name: placeName(defect.pointer),
        message: defect.message,
      }),
    );
  },
};

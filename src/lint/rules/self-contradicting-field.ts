/**
 * A field whose type is contradicted by its own format, description, example or enum (LILT's published `dueDate`:
 * `type: integer`, "An ISO string date", example "2021-10-05T14:48:00.000Z"). A client cannot tell which reading the
 * provider implements. The detector is the operation model's (src/contract/contradictions.ts), which also says how a
 * run treats such a field in the tested operation.
 */
import { contradictionsOf } from '../../contract/contradictions';
import type { LintFinding, LintRule } from '../types';

export const selfContradictingField: LintRule = {
  id: 'self-contradicting-field',
  severity: 'error',
  description: "A field's type agrees with its format, its description, its example and its enum.",
  run({ schemas }) {
    const findings: LintFinding[] = [];
    for (const site of schemas) {
      const contradictions = contradictionsOf(site.raw);
      if (contradictions.length === 0) continue;
      findings.push({
        rule: this.id,
        severity: this.severity,
        pointer: site.pointer,
        name: site.name,
        message: `contradicts itself: ${contradictions.map((contradiction) => contradiction.message).join('; ')}`,
      });
    }
    return findings;
  },
};

/**
 * Two properties of one object with the same description: one of them was almost certainly copied from the other
 * and not edited (JobStats.newWords says "Total number of fuzzy words.").
 */
import type { LintFinding, LintRule } from '../types';

export const copiedDescription: LintRule = {
  id: 'copied-description',
  severity: 'warning',
  description: 'Sibling properties do not share a description.',
  run({ schemas }) {
    const findings: LintFinding[] = [];
    for (const site of schemas) {
      const seen = new Map<string, string>();
      for (const [prop, schema] of Object.entries(site.raw.properties ?? {})) {
        const description = 'description' in schema ? schema.description?.trim() : undefined;
        if (!description) continue;
        const first = seen.get(description);
        if (first === undefined) {
          seen.set(description, prop);
          continue;
        }
        findings.push({
          rule: this.id,
          severity: this.severity,
          pointer: `${site.pointer}/properties/${prop.replace(/~/g, '~0').replace(/\//g, '~1')}/description`,
          name: `${site.name}.${prop}`,
          message: `has the same description as ${site.name}.${first}: "${description}"`,
        });
      }
    }
    return findings;
  },
};

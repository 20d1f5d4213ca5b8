/**
 * A property name used with a `format` in one schema and without it in another (Job.due is a date-time,
 * JobProject.due is a bare string) leaves the second one unchecked by every validator.
 */
import type { LintFinding, LintRule } from '../types';

export const inconsistentFormat: LintRule = {
  id: 'inconsistent-format',
  severity: 'warning',
  description: 'A property name that has a format in one schema has the same format everywhere.',
  run({ schemas }) {
    const findings: LintFinding[] = [];
    const propertyName = (pointer: string) => /\/properties\/([^/]+)$/.exec(pointer)?.[1];
    const formatted = new Map<string, { format: string; name: string }>();
    for (const site of schemas) {
      const key = propertyName(site.pointer);
      if (key && site.raw.type === 'string' && site.raw.format && !formatted.has(key)) {
        formatted.set(key, { format: site.raw.format, name: site.name });
      }
    }
    for (const site of schemas) {
      const key = propertyName(site.pointer);
      const other = key === undefined ? undefined : formatted.get(key);
      if (!other || site.raw.type !== 'string' || site.raw.format) continue;
      findings.push({
        rule: this.id,
        severity: this.severity,
        pointer: site.pointer,
        name: site.name,
        message: `has no format, while ${other.name} has format ${other.format}`,
      });
    }
    return findings;
  },
};

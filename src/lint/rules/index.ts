/** The spec lint's rules, one a file, in the order their findings are reported. */
import type { LintRule } from '../types';
import { copiedDescription } from './copied-description';
import { documentDefect } from './document-defect';
import { exampleMatchesSchema } from './example-matches-schema';
import { inconsistentFormat } from './inconsistent-format';
import { requestResponseTypeSplit } from './request-response-type-split';
import { selfContradictingField } from './self-contradicting-field';

/** Every spec-lint rule, in the order findings are reported. */
export const lintRules: readonly LintRule[] = [
  selfContradictingField,
  exampleMatchesSchema,
  requestResponseTypeSplit,
  inconsistentFormat,
  copiedDescription,
  documentDefect,
];

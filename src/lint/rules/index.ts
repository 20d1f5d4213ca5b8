/** The spec lint's rules, one a file, in the order their findings are reported. */
import type { LintRule } from '../types';
import { copiedDescription } from './copied-description';
import { exampleMatchesSchema } from './example-matches-schema';
import { inconsistentFormat } from './inconsistent-format';
import { requestResponseTypeSplit } from './request-response-type-split';

/** Every spec-lint rule, in the order findings are reported. */
export const lintRules: readonly LintRule[] = [
  exampleMatchesSchema,
  requestResponseTypeSplit,
  inconsistentFormat,
  copiedDescription,
];

/** Runs the suites in the order (schema, semantics, negative, ids, auth, properties). */
import * as path from 'node:path';
import Sequencer from '@jest/test-sequencer';
import type { Test } from '@jest/test-result';
import { SUITES } from '../plan';

const ORDER = SUITES.map((suite) => suite.id as string);

function rank(test: Test): number {
  const index = ORDER.indexOf(path.basename(test.path).replace(/\.conformance\.ts$/, ''));
  return index === -1 ? ORDER.length : index;
}

export default class SuiteOrder extends Sequencer {
  override sort(tests: Test[]): Test[] {
    return [...tests].sort((a, b) => rank(a) - rank(b));
  }
}

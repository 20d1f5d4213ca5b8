// Runs the conformance suites in the order of the groups: their files are numbered (1-schema ... 6-properties).
// Plain JavaScript: jest loads a test sequencer without its transform.
'use strict';
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

class SuiteOrder extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => path.basename(a.path).localeCompare(path.basename(b.path)));
  }
}

module.exports = SuiteOrder;

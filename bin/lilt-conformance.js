#!/usr/bin/env node
// The lilt-conformance command: registers tsx (TypeScript without a build step) and runs the CLI.
'use strict';
require('tsx/cjs');
const { runMain } = require('../src/errors.ts');
const { main } = require('../src/cli/conformance.ts');
runMain(() => main(process.argv.slice(2)));

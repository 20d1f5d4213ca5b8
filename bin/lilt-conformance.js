#!/usr/bin/env node
// The lilt-conformance command: the compiled CLI in dist/ (`npm run build`; npm ci and a git install build it).
'use strict';
const entry = require('node:path').join(__dirname, '..', 'dist', 'cli', 'main.js');
let cli;
try {
  cli = require(entry);
} catch (error) {
  // Only the build itself missing (a checkout without npm ci) is a user error; anything else is a bug, with its stack.
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(`'${entry}'`)) {
    process.stderr.write('error: lilt-conformance is not built (no dist/): run npm run build, or npm ci\n');
    process.exit(2);
  }
  throw error;
}
cli.run();

#!/usr/bin/env node
// The lilt-conformance command: the compiled CLI in dist/ (`npm run build`; npm ci and a git install build it).
'use strict';
require('../dist/cli/main.js').run();

#!/usr/bin/env node
/**
 * The action's outputs beyond the exit code (action.yml runs it after the CLI): `node scripts/action-outputs.js CODE
 * REPORT_DIR` prints `verdict=...`, `failing-checks=...` and `report-dir=...` lines for $GITHUB_OUTPUT. The verdict and
 * the failing checks come from the run's findings.json when it wrote one, else from the exit code alone.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [codeText = '', reportDirText = ''] = process.argv.slice(2);
const code = Number(codeText);
const reportDir = path.resolve(reportDirText || '.');

/** The verdict an exit code alone tells (docs/targets-and-flags.md#exit-codes). */
function verdictOfCode() {
  if (code === 0) return 'conformant';
  if (code === 1) return 'not-conformant';
  if (code === 3) return 'no-verdict';
  if (code === 130 || code === 143) return 'interrupted';
  return 'error';
}

let findings;
try {
  findings = JSON.parse(fs.readFileSync(path.join(reportDir, 'findings.json'), 'utf8'));
} catch {
  findings = undefined;
}

let verdict = verdictOfCode();
let failing = '';
if (findings !== undefined && typeof findings.verdict === 'string' && Array.isArray(findings.patterns)) {
  // An interruption, or an input at fault (exit 2): whatever the findings said, that is the outcome.
  if (code === 130 || code === 143) verdict = 'interrupted';
  else if (code === 2) verdict = 'error';
  else if (/^conformant/.test(findings.verdict)) verdict = 'conformant';
  else if (/^NOT conformant/.test(findings.verdict)) verdict = 'not-conformant';
  else if (/^no verdict/.test(findings.verdict)) verdict = 'no-verdict';
  failing = String(new Set(findings.patterns.filter((group) => group.acknowledged === undefined).map((group) => group.checkId)).size);
}

process.stdout.write(`verdict=${verdict}\nfailing-checks=${failing}\nreport-dir=${reportDir}\n`);

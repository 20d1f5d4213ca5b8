#!/usr/bin/env node
/**
 * `npm run build` (and `prepare`): compiles src/ into dist/ with tsconfig.build.json, then copies the files the code
 * reads at run time that are not TypeScript (the default fixtures, ...) to the same place under dist/. dist/ is
 * emptied first, so a module deleted from src/ never lingers in the package.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');

fs.rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], {
  cwd: root,
  stdio: 'inherit',
});
if (tsc.status !== 0) {
  process.stderr.write(`build: tsc failed (exit ${tsc.status ?? tsc.signal})\n`);
  process.exit(1);
}

/** Every file under dir that is not TypeScript, as paths relative to src/. */
function assets(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return assets(file);
    return entry.name.endsWith('.ts') ? [] : [path.relative(src, file)];
  });
}

const copied = assets(src);
for (const file of copied) {
  fs.mkdirSync(path.dirname(path.join(dist, file)), { recursive: true });
  fs.copyFileSync(path.join(src, file), path.join(dist, file));
}
process.stdout.write(`build: dist/ compiled; copied ${copied.length} asset(s): ${copied.join(', ') || 'none'}\n`);

#!/usr/bin/env node
/**
 * What installing the package costs a team, measured on the real tarball.
 *
 *   npm run size                                    builds, packs, installs the tarball into two empty temp folders
 *                                                   (npm install --omit=optional, then with the optional Pact
 *                                                   packages) and prints both installed sizes
 *   node scripts/installed-size.js --measure DIR    the installed size of DIR/node_modules (--json: as JSON)
 *
 * Installed size: the bytes of every file under node_modules (apparent size, symlinks not followed), in MB of 10^6
 * bytes; packages: the folders under node_modules, at any depth, that hold a package.json.
 * Installs use the local npm cache first (--prefer-offline). Exit 0, or 1 when a step fails (its output is shown).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const MB = 1e6;

/** Bytes and packages of a node_modules folder. */
function measure(nodeModules) {
  let bytes = 0;
  let packages = 0;
  const walk = (dir, inNodeModules) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        // A package is a folder right under node_modules, or under a @scope folder there.
        const scope = inNodeModules && entry.name.startsWith('@');
        if (inNodeModules && !scope && !entry.name.startsWith('.') && fs.existsSync(path.join(file, 'package.json'))) packages += 1;
        walk(file, scope || entry.name === 'node_modules');
      } else {
        bytes += fs.lstatSync(file).size;
      }
    }
  };
  if (fs.existsSync(nodeModules)) walk(nodeModules, true);
  return { bytes, packages, megabytes: Math.round((bytes / MB) * 10) / 10 };
}

/** The environment for npm in another folder: none of the npm_* variables of an `npm run` that started this. */
function npmEnv() {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('npm_')) env[name] = value;
  return env;
}

function npm(args, cwd) {
  const result = spawnSync('npm', args, { cwd, env: npmEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new Error(`npm ${args.join(' ')} failed in ${cwd} (exit ${result.status ?? result.signal})`);
  }
  return result.stdout;
}

/** Installs the tarball into a new empty folder; returns the folder. */
function installInto(tarball, omitOptional) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lilt-conformance-size-'));
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'size-check', version: '1.0.0', private: true }, null, 2)}\n`);
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', ...(omitOptional ? ['--omit=optional'] : []), tarball], dir);
  return dir;
}

function both() {
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lilt-conformance-pack-'));
  const installs = [];
  try {
    process.stderr.write('building and packing...\n');
    npm(['run', 'build'], ROOT);
    // Built just now: --ignore-scripts keeps pack from building again (prepare), and its stdout JSON alone.
    const [packed] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], ROOT));
    const tarball = path.join(packDir, packed.filename);
    const lines = [`${packed.filename}: ${(packed.size / MB).toFixed(2)} MB packed, ${packed.entryCount} files`];
    for (const [label, omitOptional] of [
      ['npm install --omit=optional (no Pact)', true],
      ['npm install (with the optional Pact packages)', false],
    ]) {
      process.stderr.write(`${label}...\n`);
      const dir = installInto(tarball, omitOptional);
      installs.push(dir);
      const { megabytes, packages } = measure(path.join(dir, 'node_modules'));
      lines.push(`${label}: ${megabytes.toFixed(1)} MB in ${packages} packages`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    for (const dir of [packDir, ...installs]) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main(argv) {
  if (argv[0] === '--measure' && argv[1] !== undefined) {
    const result = measure(path.join(path.resolve(argv[1]), 'node_modules'));
    process.stdout.write(
      argv.includes('--json') ? `${JSON.stringify(result)}\n` : `${result.megabytes.toFixed(1)} MB in ${result.packages} packages\n`,
    );
    return;
  }
  if (argv.length > 0) {
    process.stderr.write('usage: node scripts/installed-size.js [--measure DIR [--json]]\n');
    process.exitCode = 2;
    return;
  }
  both();
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`installed-size: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

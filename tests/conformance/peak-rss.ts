/**
 * Runs the CLI (src/cli/main.ts) in this process and, when it exits, writes its peak resident set size (kB, from
 * process.resourceUsage) to the file named by the first argument. The rest of the arguments are the CLI's.
 *   tsx tests/conformance/peak-rss.ts <file> [lilt-conformance arguments...]
 */
import * as fs from 'node:fs';
import { run } from '../../src/cli/main';

const [file, ...argv] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: peak-rss.ts <file> [arguments...]');
process.on('exit', () => fs.writeFileSync(file, `${process.resourceUsage().maxRSS}\n`));
run(argv);

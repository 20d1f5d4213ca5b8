/** Writes a modified copy of the contract to a temp dir, for tests of what a different document does. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CONTRACT_FILE } from '../../src/contract/load';
import { tempDir } from './temp';

/** A copy of the contract with `edit` applied to its text. */
export function contractCopy(edit: (text: string) => string, name = 'contract.yaml'): string {
  const file = path.join(tempDir('lilt-contract-'), name);
  const text = fs.readFileSync(DEFAULT_CONTRACT_FILE, 'utf8');
  const edited = edit(text);
  if (edited === text) throw new Error('contractCopy: the edit changed nothing (the anchor text was not found)');
  fs.writeFileSync(file, edited);
  return file;
}

export function writeTemp(name: string, content: string): string {
  const file = path.join(tempDir('lilt-contract-'), name);
  fs.writeFileSync(file, content);
  return file;
}

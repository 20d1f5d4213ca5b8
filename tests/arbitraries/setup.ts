/** The real contract, its arbitraries and its compiled request validator, built once per test file. */
import { loadContract, type Contract } from '../../src/contract/load';
import { buildArbitraries, type ContractArbitraries } from '../../src/arbitraries';
import { loadValidators, type BodyValidator } from '../../src/validation/validators';

export interface Built {
  readonly contract: Contract;
  readonly arbitraries: ContractArbitraries;
  readonly requestValidator: BodyValidator;
}

export async function build(): Promise<Built> {
  const contract = await loadContract();
  const validators = await loadValidators();
  return { contract, arbitraries: buildArbitraries(contract), requestValidator: validators.requestBodyValidator('updateJob') };
}

/**
 * The schema says isProcessing is a string; BEHAVIOUR.md accepts the JSON numbers too. To ask the contract's own
 * validator about a body, write numbers as the strings they stand for (1.5 becomes "1.5", still outside the enum).
 */
export function numbersAsStrings(body: Record<string, unknown>, numericEnumFields: readonly string[]): Record<string, unknown> {
  const copy = { ...body };
  for (const field of numericEnumFields) {
    if (typeof copy[field] === 'number') copy[field] = String(copy[field]);
  }
  return copy;
}

export const SEED = 20261128;

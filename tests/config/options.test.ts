/**
 * The one options table (src/config/options.ts): every command's flags are its rows, read the same way (the flag,
 * else the variable, else the default; a bad value one line naming where it came from), and a row is all a new flag
 * needs to reach a command's command line.
 */
import { Command } from 'commander';
import { COMMANDS } from '../../src/cli/main';
import { buildCommand } from '../../src/config/flags';
import { addOptions, COMMAND_NAMES, OPTION_ENV, OPTIONS, optionsOf, settledValueOf, valueOf, whereOf } from '../../src/config/options';
import { ExitCode } from '../../src/errors';
import { userErrorOf } from '../helpers/user-error';

const quiet = { out: () => undefined, err: () => undefined };

test("the table's commands are the dispatcher's, and every row is taken by at least one of them", () => {
  expect(COMMANDS.map((command) => command.name)).toEqual([...COMMAND_NAMES]);
  for (const [id, row] of Object.entries(OPTIONS)) expect([id, row.commands.length]).not.toEqual([id, 0]);
});

test('no two rows give one command the same flag, and no two rows read the same variable', () => {
  for (const name of COMMAND_NAMES) {
    const longs = optionsOf(name).map(([, row]) => new Command().createOption(row.flags).long);
    expect([name, longs.length]).toEqual([name, new Set(longs).size]);
  }
  const variables = Object.values(OPTIONS).flatMap((row) => ('env' in row && row.env !== undefined ? [row.env] : []));
  expect(variables.length).toBe(new Set(variables).size);
});

test("the run's command line is its rows, in the table's order, each with its variable in its help", () => {
  const command = buildCommand(quiet);
  const rows = optionsOf('run');
  expect(command.options.map((option) => option.flags)).toEqual(rows.map(([, row]) => row.flags));
  for (const option of command.options) expect(option.description).toMatch(/\[env LILT_[A-Z_]+; default: .+\]$/);
  expect(Object.keys(OPTION_ENV)).toEqual(rows.map(([id]) => id));
});

test('each command takes exactly the rows naming it', () => {
  for (const name of COMMAND_NAMES) {
    const program = addOptions(new Command(name), name);
    expect(program.options.map((option) => option.flags)).toEqual(optionsOf(name).map(([, row]) => row.flags));
  }
  // Shared rows: the same flag, variable, parser and default for the run and pact verify.
  for (const id of ['target', 'apiKey', 'jobId', 'missingJobId', 'restoreTimeout', 'allowProduction', 'allowSharedJob'] as const) {
    expect(OPTIONS[id].commands).toEqual(expect.arrayContaining(['run', 'pact verify']));
  }
});

describe('reading a row', () => {
  test('the flag wins over the variable, which wins over the default; an empty variable is unset', () => {
    expect(valueOf('runs', { runs: '7' }, { LILT_RUNS: '9' })).toBe(7);
    expect(valueOf('runs', {}, { LILT_RUNS: '9' })).toBe(9);
    expect(valueOf('runs', {}, { LILT_RUNS: '' })).toBe(50);
    expect(settledValueOf('restoreTimeout', {}, {})).toBe(120_000);
    expect(settledValueOf('restoreTimeout', {}, { LILT_RESTORE_TIMEOUT: '5' })).toBe(5_000);
    expect(valueOf('seed', {}, {})).toBeUndefined();
  });

  test('a switch: the flag, else its variable as true or false', () => {
    expect(settledValueOf('dryRun', { dryRun: true }, { LILT_DRY_RUN: 'false' })).toBe(true);
    expect(settledValueOf('dryRun', {}, { LILT_DRY_RUN: 'yes' })).toBe(true);
    expect(settledValueOf('dryRun', {}, {})).toBe(false);
  });

  test('a bad value is one line naming the flag or the variable it came from, exit 2', () => {
    const fromFlag = userErrorOf(() => valueOf('maxFailures', { maxFailures: 'x' }, { LILT_MAX_FAILURES: '3' }));
    expect(fromFlag.message).toBe("--max-failures must be a positive integer (failing checks before the run stops) (got 'x')");
    expect(fromFlag.exitCode).toBe(ExitCode.usage);
    expect(userErrorOf(() => valueOf('maxFailures', {}, { LILT_MAX_FAILURES: '0' })).message).toMatch(/^LILT_MAX_FAILURES must be/);
    expect(userErrorOf(() => valueOf('timeout', { timeout: '0' })).message).toBe("--timeout must be a positive integer, got '0'");
    expect(whereOf(OPTIONS.header, { header: ['A: b'] })).toBe('-H');
    expect(whereOf(OPTIONS.header, {})).toBe('LILT_HEADERS');
  });

  test("-H is repeatable; its variable has one header a line", () => {
    const program = addOptions(new Command('x').exitOverride(), 'run');
    program.parse(['-H', 'X-One: 1', '-H', 'X-Two: 2'], { from: 'user' });
    expect(settledValueOf('header', program.opts()).map((h) => h.name)).toEqual(['X-One', 'X-Two']);
    expect(settledValueOf('header', {}, { LILT_HEADERS: 'X-One: 1\nX-Two: 2\n' }).map((h) => h.name)).toEqual(['X-One', 'X-Two']);
  });
});

/**
 * The coverage datasets: their shape (ids unique and stable, every value with a class, a source and an expectation),
 * their counts per class, that each class holds what it says (every script's digits, the zone transitions, the named
 * naughty strings), and that every value's expectation agrees with the reference provider: each value is sent to it
 * on loopback and the answer judged by the value's own expectation (tests/coverage/send.ts).
 */
import * as path from 'node:path';
import { loadContract } from '../../src/contract/load';
import { operationModel, type OperationModel } from '../../src/contract/model';
import { buildCoverage, formatSizes, requestsOf, sizeReport, type CoverageDatasets } from '../../src/coverage';
import { digitZeros } from '../../src/coverage/digits';
import { ZONES } from '../../src/coverage/date-times';
import { transitionsIn } from '../../src/coverage/time-zones';
import type { CoverageValue } from '../../src/coverage/types';
import { DEFAULT_FIXTURES_FILE, loadFixtures, startReferenceProvider, type RunningProvider } from '../../src/provider';
import { judge, secondOpinionFile, startSecondOpinion, type Target } from './send';

const NOW = new Date('2026-12-01T00:00:00Z');
const IDS = { existing: 241, missing: 999999 };

let model: OperationModel;
let coverage: CoverageDatasets;

beforeAll(async () => {
  model = operationModel(await loadContract());
  coverage = buildCoverage(model, { ids: IDS, now: NOW });
});

const values = (): CoverageValue[] => coverage.all.flatMap((d) => [...d.values]);

describe('every dataset', () => {
  test('ids are unique, and the same when built again', () => {
    const ids = values().map((v) => v.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(buildCoverage(model, { ids: IDS, now: NOW }).all.flatMap((d) => d.values.map((v) => v.id))).toEqual(ids);
  });

  test('each value has its dataset, a class the dataset lists, a label and a one-line source', () => {
    const bad = coverage.all.flatMap((dataset) =>
      dataset.values
        .filter(
          (v) =>
            v.dataset !== dataset.name ||
            !dataset.classes.some((c) => c.name === v.class) ||
            !v.id.startsWith(`${dataset.name}/${v.class}/`) ||
            v.label.trim() === '' ||
            v.source.trim() === '' ||
            v.source.includes('\n'),
        )
        .map((v) => v.id),
    );
    expect(bad).toEqual([]);
  });

  test('each class has values, and the size report adds up', () => {
    for (const dataset of coverage.all) {
      const report = sizeReport(dataset);
      expect(report.classes.map((c) => c.class)).toEqual(dataset.classes.map((c) => c.name));
      expect(report.classes.every((c) => c.values > 0)).toBe(true);
      expect(report.classes.reduce((sum, c) => sum + c.values, 0)).toBe(dataset.values.length);
      expect(report.requests).toBe(dataset.values.reduce((sum, v) => sum + requestsOf(v), 0));
    }
    const lines = formatSizes(coverage.all.map(sizeReport));
    expect(lines.at(-1)).toMatch(/^in all: \d+ values, \d+ requests$/);
    process.stdout.write(`coverage datasets:\n${lines.join('\n')}\n`);
  });

  test('every field value is JSON-safe, and its text (when given) is JSON of the same kind', () => {
    for (const v of values()) {
      if (v.kind !== 'field') continue;
      expect(JSON.parse(JSON.stringify(v.value))).toEqual(v.value);
      if (v.valueText !== undefined) expect(typeof JSON.parse(v.valueText)).toBe(typeof v.value);
    }
  });

  test('an accepted field value says how it must be stored; a refused one does not', () => {
    for (const v of values()) {
      if (v.kind !== 'field') continue;
      if (v.expectation === 'accept') expect(v.stored).toBeDefined();
      if (v.expectation === 'reject') expect(v.stored).toBeUndefined();
    }
  });
});

describe('strings', () => {
  test('reserved words: all of the list\'s, and the number parsers\' words', () => {
    const reserved = coverage.strings.values.filter((v) => v.class === 'reserved').map((v) => v.value);
    expect(reserved).toEqual(expect.arrayContaining(['null', 'None', 'undefined', 'true', 'NaN', 'Infinity', 'hasOwnProperty']));
  });

  test('each class is what it says', () => {
    const of = (cls: string) => coverage.strings.values.filter((v) => v.class === cls).map((v) => String(v.value));
    expect(of('non-bmp').some((s) => /[\u{10000}-\u{10ffff}]/u.test(s))).toBe(true);
    expect(of('rtl-and-zero-width').some((s) => /[\u200b\ufeff\u202a-\u202e]/.test(s))).toBe(true);
    expect(of('rtl-and-zero-width').some((s) => /\p{Script=Arabic}/u.test(s))).toBe(true);
    expect(of('html').some((s) => /<script>/.test(s))).toBe(true);
    expect(of('sql-and-templates').some((s) => /DROP TABLE/.test(s))).toBe(true);
    expect(of('control-characters').every((s) => /[\u0000-\u001f]/.test(s))).toBe(true);
    expect(of('long').map((s) => Buffer.byteLength(s))).toEqual([256, 65_536, 196_608]);
    // No section of this list is left without a class.
    expect(of('other')).toEqual([]);
  });

  test('every string is accepted and stored exactly, in the stored string field', () => {
    expect(coverage.strings.values.every((v) => v.expectation === 'accept' && v.stored?.as === 'exactly' && v.stored.value === v.value)).toBe(true);
    expect([...new Set(coverage.strings.values.map((v) => v.field))]).toEqual(['name']);
  });
});

describe('date-times', () => {
  const byId = (suffix: string) => coverage.dateTimes.values.find((v) => v.id.endsWith(suffix));

  test('century years: 2000 and 2400 leap, 1900, 2100 and 2200 not', () => {
    const verdicts = Object.fromEntries(
      coverage.dateTimes.values.filter((v) => v.class === 'century').map((v) => [String(v.value).slice(0, 4), v.expectation]),
    );
    expect(verdicts).toEqual({ '1900': 'reject', '2000': 'accept', '2100': 'reject', '2200': 'reject', '2400': 'accept' });
  });

  test('every month end accepted, the 31st of each 30-day month refused', () => {
    const monthEnds = coverage.dateTimes.values.filter((v) => v.class === 'month-ends');
    expect(monthEnds.filter((v) => v.expectation === 'accept')).toHaveLength(13);
    for (const month of ['04', '06', '09', '11']) expect(byId(`2030-${month}-31`)?.expectation).toBe('reject');
  });

  test('two values for each transition of each zone in the run\'s year, from Intl', () => {
    const transitions = ZONES.flatMap((zone) => transitionsIn(zone, NOW.getUTCFullYear()));
    expect(transitions.filter((t) => t.zone === 'America/Sao_Paulo')).toEqual([]);
    expect(coverage.dateTimes.values.filter((v) => v.class === 'zone-transitions')).toHaveLength(2 * transitions.length);
    // Berlin's repeated hour: 02:30 local twice, the second time at +01:00 (01:30 UTC).
    expect(byId('europe-berlin-2026-10-25-first')?.value).toBe('2026-10-25T02:30:00+02:00');
    expect(byId('europe-berlin-2026-10-25-second')?.value).toBe('2026-10-25T02:30:00+01:00');
    // New York's skipped hour: 02:30 never happens on 8 March 2026; written at either offset it is an instant.
    expect(byId('america-new_york-2026-03-08-old-offset')?.value).toBe('2026-03-08T02:30:00-05:00');
  });

  test('offsets from -23:59 to +23:59 accepted, past them refused; fractions of 0 to 9 digits; leap seconds open', () => {
    expect(byId('offsets/due/-23:59')?.expectation).toBe('accept');
    expect(byId('offsets/due/+23:59')?.expectation).toBe('accept');
    expect(byId('offsets/due/+24:00')?.expectation).toBe('reject');
    expect(coverage.dateTimes.values.filter((v) => v.class === 'fractions' && v.expectation === 'accept')).toHaveLength(11);
    expect(coverage.dateTimes.values.filter((v) => /leap-second/.test(v.id)).every((v) => v.expectation === 'open')).toBe(true);
  });
});

describe('integers', () => {
  test('the path id and isProcessing in the digits of every script but ASCII, each refused', () => {
    const scripts = digitZeros().length - 1;
    expect(scripts).toBeGreaterThanOrEqual(60);
    const ids = coverage.integers.values.filter((v) => v.class === 'id-scripts');
    const enums = coverage.integers.values.flatMap((v) => (v.class === 'isProcessing-scripts' && v.kind === 'field' ? [v] : []));
    expect([ids.length, enums.length]).toEqual([scripts, scripts]);
    expect(ids.every((v) => v.kind === 'id' && v.expectation === 'invalid')).toBe(true);
    expect(enums.every((v) => v.expectation === 'reject')).toBe(true);
    const segments = ids.map((v) => (v.kind === 'id' ? decodeURIComponent(v.segment) : ''));
    expect(segments).toEqual(expect.arrayContaining(['２４１', '٢٤١', '۲۴۱', '२४१', '𝟐𝟒𝟏']));
    // One enum value per script in turn: full-width and Arabic-Indic among them.
    expect(enums.some((v) => /^-?[\uff10-\uff19]$/.test(String(v.value)))).toBe(true);
    expect(enums.map((v) => v.value)).toContain('٠');
  });

  test('the open id spellings are BEHAVIOUR.md\'s (leading zeros, a +) and percent-encoded digits', () => {
    const open = coverage.integers.values.filter((v) => v.kind === 'id' && v.expectation === 'open').map((v) => (v.kind === 'id' ? v.segment : ''));
    expect(open).toEqual(['+241', '%2B241', '0241', '000241', '%32%34%31']);
  });

  test('numbers past 2^53 carry their exact JSON text', () => {
    const beyond = coverage.integers.values.filter((v) => v.kind === 'field' && typeof v.value === 'number' && !Number.isSafeInteger(v.value) && Number.isInteger(v.value));
    expect(beyond.length).toBeGreaterThan(0);
    expect(beyond.every((v) => v.kind === 'field' && v.valueText !== undefined && /^\d+$/.test(v.valueText))).toBe(true);
  });
});

describe('request combinations', () => {
  test('credentials alone, together, wrong and none; the scheme in any case; Accept; replays; duplicate keys', () => {
    const of = (cls: string) => coverage.requests.values.filter((v) => v.class === cls).map((v) => `${v.id.split('/').at(-1)}:${v.expectation}`);
    expect(of('credentials')).toEqual([
      'basic:authorized',
      'query:authorized',
      'both-valid:authorized',
      'valid-basic-wrong-query:authorized',
      'wrong-basic-valid-query:authorized',
      'both-wrong:unauthorized',
      'none:unauthorized',
    ]);
    expect(of('basic-spellings')).toContain('scheme-lower-case:authorized');
    expect(of('accept')).toEqual(expect.arrayContaining(['absent:accept', 'any:accept', 'json:accept', 'json-q:accept', 'html-only:open']));
    expect(of('replay')).toHaveLength(4);
    expect(of('duplicate-keys')).toHaveLength(3 * model.updatableFields.length);
  });

  test('no value holds a key: credentials are key forms', () => {
    const text = JSON.stringify(coverage.requests.values);
    const fixtures = loadFixtures(DEFAULT_FIXTURES_FILE);
    for (const key of fixtures.apiKeys) expect(text).not.toContain(key);
  });

  test('duplicate keys: if accepted, only the valid values sent may be stored', () => {
    for (const v of coverage.requests.values) {
      if (v.what !== 'duplicate-keys') continue;
      expect(v.expectation).toBe('open');
      const valid = v.id.endsWith('two-valid') ? 2 : 1;
      expect(v.storedOneOf).toHaveLength(valid);
    }
  });
});

describe('every expectation agrees with the reference provider', () => {
  let provider: RunningProvider;
  let target: Target;
  beforeAll(async () => {
    provider = await startReferenceProvider({ port: 0 });
    const apiKey = loadFixtures(DEFAULT_FIXTURES_FILE).apiKeys[0] ?? 'test-key';
    target = { url: provider.url, apiKey, model, jobId: IDS.existing };
  });
  afterAll(() => provider.close());

  test.each(['strings', 'date-times', 'integers', 'requests'])('%s', async (name) => {
    const dataset = coverage.all.find((d) => d.name === name);
    expect(dataset).toBeDefined();
    const failures: string[] = [];
    for (const value of dataset?.values ?? []) {
      const verdict = await judge(target, value);
      if (!verdict.ok) failures.push(`${value.id} (${value.expectation}): ${verdict.why}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

/**
 * The same against the independent providers (shared/second-opinion, three flavours that take different sides of
 * the open choices): a correct API passes, so none may fail a value's expectation.
 */
const ROOT = path.join(__dirname, '..', '..');
const SECOND_OPINION = secondOpinionFile(ROOT);
describe('every expectation holds for the second-opinion providers', () => {
  test('a copy of the second opinion is found (the team\'s beside the checkout, or the one kept in tests/fixtures)', () => {
    expect(SECOND_OPINION).toBeDefined();
  });
  test.each(['strict', 'variant', 'other-choices'])('%s', async (flavour) => {
    if (SECOND_OPINION === undefined) throw new Error('no copy of the second opinion: see the test above');
    const provider = await startSecondOpinion(SECOND_OPINION, flavour, ROOT);
    try {
      const target: Target = { url: provider.url, apiKey: 'test-key', model, jobId: IDS.existing };
      const failures: string[] = [];
      for (const value of values()) {
        const verdict = await judge(target, value);
        if (!verdict.ok) failures.push(`${value.id} (${value.expectation}): ${verdict.why}`);
      }
      expect(failures).toEqual([]);
    } finally {
      await provider.close();
    }
  }, 240_000);
});

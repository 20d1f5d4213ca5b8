/** The path id: positive decimal integers below 2^63; beyond Number's safe range an id stays a bigint. */
import { parseJobId } from '../../src/provider/job-id';

describe('parseJobId', () => {
  it.each([
    ['241', 241],
    ['0241', 241],
    ['1', 1],
    ['9007199254740991', 9007199254740991],
    ['9007199254740993', 9007199254740993n],
    ['9223372036854775807', 9223372036854775807n],
  ])('reads %s as %p', (raw, id) => {
    expect(parseJobId(raw)).toEqual({ valid: true, id });
  });

  it.each(['', '0', '000', '-1', '+1', '1.5', '1e3', '0x10', ' 1', '1 ', '9223372036854775808', '١٢'])('refuses %j', (raw) => {
    const outcome = parseJobId(raw);
    expect(outcome.valid).toBe(false);
  });

  it('shortens a long id in its message', () => {
    const outcome = parseJobId('x'.repeat(500));
    expect(outcome.valid === false && outcome.message.length).toBeLessThan(100);
  });
});

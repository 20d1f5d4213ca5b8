/** `negative.invalid-rejected-4xx`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { defineCheck } from '../declaration';
import { answer, doesNotApply, exchange, fails, JOB, oracle, passes, update, INVALID } from '../examples';
import { errorRefusal } from '../values';

export const invalidRejected = defineCheck({
  id: 'negative.invalid-rejected-4xx',
  group: 'negative',
  rules: ['body.invalid-value-4xx', 'body.malformed-400'],
  rule: 'Invalid data (wrong types, null, enum near-misses, impossible or zone-less dates, malformed or non-object JSON) gets a 4xx with the Error body.',
  appliesTo: ['reject'],
  examples: (facts) => [
    passes('a 400 with the Error body', exchange(answer(400, { message: 'bad' }), INVALID), oracle(facts, { kind: 'reject' })),
    passes('a 422 with the Error body', exchange(answer(422, { message: 'bad' }), INVALID), oracle(facts, { kind: 'reject' })),
    fails('accepted: 200 with the Job', exchange(answer(200, JOB), INVALID), oracle(facts, { kind: 'reject' }), 'status 200'),
    fails('a 401 (the key was valid)', exchange(answer(401, 'Unauthorized', 'text/plain'), INVALID), oracle(facts, { kind: 'reject' }), 'status 401'),
    fails('a 400 as text', exchange(answer(400, 'bad', 'text/plain'), INVALID), oracle(facts, { kind: 'reject' }), 'Content-Type text/plain'),
    fails('a 400 whose message is a number', exchange(answer(400, { message: 1 }), INVALID), oracle(facts, { kind: 'reject' }), '/message'),
    doesNotApply('a valid update', exchange(answer(200, JOB)), oracle(facts, update())),
    doesNotApply(
      'a 400 whose body is in a coding the run does not read (schema.content-coding-known reports it)',
      exchange({ ...answer(400, ''), coding: { kind: 'not-decoded', codings: ['x-custom'], reason: 'x-custom is not a coding the run reads' } }, INVALID),
      oracle(facts, { kind: 'reject' }),
    ),
  ],
  judge({ response }, { facts }) {
    return errorRefusal(response, facts);
  },
});

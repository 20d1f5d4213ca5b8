/** `schema.content-coding-known`: see its rule and sources in the declaration below (docs/checks.md shows its examples). */
import { defineCheck } from '../declaration';
import { answer, exchange, fails, GZIP_BOMB, JOB, oracle, passes, X_CUSTOM } from '../examples';
import { fail, PASS } from '../types';
import { MAX_RESPONSE_BYTES } from '../../http/request';

export const contentCodingKnown = defineCheck({
  id: 'schema.content-coding-known',
  group: 'schema',
  rules: ['response.content-coding'],
  rule:
    'The body comes in no content coding, or in codings a client can read (gzip, deflate, br), and decodes. The run sends no Accept-Encoding, so the target may pick any coding (RFC 9110 section 12.5.3), but the body in a coding no client knows (or that does not decode) cannot be read as the document\'s JSON (section 8.4).',
  appliesTo: 'every response',
  examples: (facts) => [
    passes('no Content-Encoding', exchange(answer(200, JOB)), oracle(facts)),
    passes('gzip, decoded', exchange({ ...answer(200, JOB), coding: { kind: 'decoded', codings: ['gzip'], wireBytes: 120 } }), oracle(facts)),
    passes('br over gzip ("gzip, br"), decoded', exchange({ ...answer(200, JOB), coding: { kind: 'decoded', codings: ['gzip', 'br'], wireBytes: 110 } }), oracle(facts)),
    passes('a compression bomb (schema.body-matches-schema reports its size)', exchange({ ...answer(200, ''), oversize: { limitBytes: MAX_RESPONSE_BYTES, decoded: true }, coding: GZIP_BOMB }), oracle(facts)),
    fails('Content-Encoding: x-custom', exchange(X_CUSTOM), oracle(facts), 'Content-Encoding: x-custom'),
    fails(
      'Content-Encoding: gzip on a body that is not gzip',
      exchange({ ...answer(200, ''), coding: { kind: 'not-decoded', codings: ['gzip'], reason: 'not valid gzip data (incorrect header check)' } }),
      oracle(facts),
      'not valid gzip data',
    ),
  ],
  judge({ response }) {
    const { coding } = response;
    if (coding === undefined || coding.kind === 'decoded') return PASS;
    return fail('no content coding, or gzip, deflate or br (decoded)', `Content-Encoding: ${coding.codings.join(', ')}: ${coding.reason}; the body was not read`);
  },
});

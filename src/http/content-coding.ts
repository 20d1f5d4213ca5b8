/**
 * A response body as the checks read it: its bytes off the wire (at most the cap) decoded from the content codings
 * `Content-Encoding` names (RFC 9110 section 8.4), with node:zlib. The run sends no Accept-Encoding, so any coding is
 * acceptable (section 12.5.3); it reads gzip (and its alias x-gzip), deflate (zlib-wrapped or raw, as servers send
 * either) and br, several in a row decoded in the reverse of the order they are listed. Another coding is not guessed
 * at: the body is not read, and the response says which coding it had (schema.content-coding-known reports it).
 *
 * Bounded: the cap (MAX_RESPONSE_BYTES) applies to each decoded layer as it does to the wire, and decoding stops as
 * soon as it is passed, so a small body that inflates to gigabytes (a compression bomb) costs what the cap costs in
 * time and memory. A body past the cap, on the wire or decoded, is kept as its first RESPONSE_EXCERPT_BYTES only:
 * nothing can judge more of it than that it is too big.
 */
import * as zlib from 'node:zlib';
import type { ApiResponse, ContentCoding } from './request';

/** What is kept of a body past the cap: enough to show a person what it was. */
export const RESPONSE_EXCERPT_BYTES = 4 * 1024;

/** The codings the run decodes, by the names RFC 9110 registers (x-gzip is gzip's alias). */
const KNOWN = new Set(['gzip', 'x-gzip', 'deflate', 'br']);

/** Content-Encoding's codings in the order listed (the order they were applied), lower-cased, `identity` left out. */
export function codingsOf(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token !== '' && token !== 'identity');
}

/** A zlib stream starts with a header whose check bits make it a multiple of 31, compression method 8 (RFC 1950). */
function isZlibWrapped(bytes: Buffer): boolean {
  const [cmf, flg] = [bytes[0], bytes[1]];
  return cmf !== undefined && flg !== undefined && (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0;
}

type Layer =
  | { readonly kind: 'decoded'; readonly bytes: Buffer; readonly over: boolean }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * One coding taken off, up to `limit` bytes (`over` when there was more). `lenient`: the input is the first part of a
 * body cut at the cap, so a missing end is not an error. Deflate is read as zlib-wrapped when its first two bytes say
 * so, and as raw deflate otherwise, or when the zlib reading fails (a raw stream may start like a zlib header).
 */
async function decodeLayer(input: Buffer, coding: string, limit: number, lenient: boolean): Promise<Layer> {
  const flush = lenient ? { finishFlush: zlib.constants.Z_SYNC_FLUSH } : {};
  if (coding === 'br') {
    const brFlush = lenient ? { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH } : {};
    return drain(zlib.createBrotliDecompress(brFlush), input, coding, limit);
  }
  if (coding === 'gzip') return drain(zlib.createGunzip(flush), input, coding, limit);
  if (isZlibWrapped(input)) {
    const wrapped = await drain(zlib.createInflate(flush), input, coding, limit);
    if (wrapped.kind === 'decoded') return wrapped;
  }
  return drain(zlib.createInflateRaw(flush), input, coding, limit);
}

type Decoder = zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress;

/** Feeds `input` through `decoder`, keeping at most `limit` bytes of what comes out; stops as soon as more comes. */
function drain(decoder: Decoder, input: Buffer, coding: string, limit: number): Promise<Layer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (layer: Layer) => {
      if (settled) return;
      settled = true;
      resolve(layer);
    };
    decoder.on('data', (chunk: Buffer) => {
      if (settled) return;
      const room = limit - size;
      if (chunk.length > room) {
        // Past the cap: stop decoding at once (zlib checks for a destroyed stream between its output chunks).
        chunks.push(chunk.subarray(0, room));
        settle({ kind: 'decoded', bytes: Buffer.concat(chunks), over: true });
        decoder.destroy();
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    });
    decoder.on('error', (error: Error) => settle({ kind: 'failed', reason: `not valid ${coding} data (${error.message})` }));
    decoder.on('end', () => settle({ kind: 'decoded', bytes: Buffer.concat(chunks, size), over: false }));
    decoder.end(input);
  });
}

/** Every coding taken off, the last applied first; each layer bounded by `limit`. */
async function decodeAll(wire: Buffer, codings: readonly string[], limit: number, lenient: boolean): Promise<Layer> {
  let bytes = wire;
  const order = [...codings].reverse();
  for (const [i, coding] of order.entries()) {
    const layer = await decodeLayer(bytes, coding, limit, lenient);
    if (layer.kind === 'failed') return layer;
    // Past the cap before the last layer: what there is is still coded, nothing to show.
    if (layer.over) return i === order.length - 1 ? layer : { kind: 'decoded', bytes: Buffer.alloc(0), over: true };
    bytes = layer.bytes;
  }
  return { kind: 'decoded', bytes, over: false };
}

/** The first bytes of a body as text: a string of its own, never a view of the whole. */
function excerpt(bytes: Buffer): string {
  return bytes.subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8');
}

/**
 * The body of a response as the checks read it. `wire`: the bytes read, at most `limit`; `cut`: there were more
 * (the transport stopped reading and dropped the connection).
 */
export async function bodyOf(
  wire: Buffer,
  cut: boolean,
  contentEncoding: string | undefined,
  limit: number,
): Promise<Pick<ApiResponse, 'text' | 'oversize' | 'coding'>> {
  const codings = codingsOf(contentEncoding);
  const wireOver = cut ? { oversize: { limitBytes: limit } } : {};
  if (codings.length === 0) return { text: cut ? excerpt(wire) : wire.toString('utf8'), ...wireOver };
  const unknown = codings.filter((coding) => !KNOWN.has(coding));
  if (unknown.length > 0) {
    const coding: ContentCoding = {
      kind: 'not-decoded',
      codings,
      reason: `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a coding the run reads (it reads gzip, deflate and br)`,
    };
    return { text: '', coding, ...wireOver };
  }
  const known = codings.map((coding) => (coding === 'x-gzip' ? 'gzip' : coding));
  // A body cut on the wire cannot be judged whole: only its excerpt is decoded, and what it shows of a broken coding.
  const layer = await decodeAll(wire, known, cut ? RESPONSE_EXCERPT_BYTES : limit, cut);
  if (layer.kind === 'failed') return { text: '', coding: { kind: 'not-decoded', codings, reason: layer.reason }, ...wireOver };
  const coding: ContentCoding = { kind: 'decoded', codings, wireBytes: wire.length };
  if (cut) return { text: excerpt(layer.bytes), coding, ...wireOver };
  if (layer.over) return { text: excerpt(layer.bytes), coding, oversize: { limitBytes: limit, decoded: true } };
  return { text: layer.bytes.toString('utf8'), coding };
}

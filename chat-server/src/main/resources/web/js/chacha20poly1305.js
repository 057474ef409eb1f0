// ChaCha20, Poly1305 and their AEAD construction, as RFC 8439 writes them: the cipher of sealed
// private messages, which WebCrypto does not offer. Written to be read next to the RFC, not to be
// fast: a sealed message is at most 3 KB. Every function takes and returns Uint8Arrays.

const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]; // "expand 32-byte k"
const P1305 = (1n << 130n) - 5n;
const CLAMP = 0x0ffffffc0ffffffc0ffffffc0fffffffn;

function rotl(x, n) {
  return ((x << n) | (x >>> (32 - n))) >>> 0;
}

/** RFC 8439 2.1: the quarter round on four words of state s, in place. */
export function quarterRound(s, a, b, c, d) {
  s[a] = (s[a] + s[b]) >>> 0; s[d] = rotl(s[d] ^ s[a], 16);
  s[c] = (s[c] + s[d]) >>> 0; s[b] = rotl(s[b] ^ s[c], 12);
  s[a] = (s[a] + s[b]) >>> 0; s[d] = rotl(s[d] ^ s[a], 8);
  s[c] = (s[c] + s[d]) >>> 0; s[b] = rotl(s[b] ^ s[c], 7);
}

function words(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({length: bytes.length / 4}, (_, i) => view.getUint32(4 * i, true));
}

/** RFC 8439 2.3: 64 bytes of key stream for a 32-byte key, a block counter and a 12-byte nonce. */
export function chacha20Block(key, counter, nonce) {
  const initial = new Uint32Array([...SIGMA, ...words(key), counter >>> 0, ...words(nonce)]);
  const s = initial.slice();
  for (let i = 0; i < 10; i++) {
    quarterRound(s, 0, 4, 8, 12); quarterRound(s, 1, 5, 9, 13);
    quarterRound(s, 2, 6, 10, 14); quarterRound(s, 3, 7, 11, 15);
    quarterRound(s, 0, 5, 10, 15); quarterRound(s, 1, 6, 11, 12);
    quarterRound(s, 2, 7, 8, 13); quarterRound(s, 3, 4, 9, 14);
  }
  const out = new Uint8Array(64);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 16; i++) view.setUint32(4 * i, (s[i] + initial[i]) >>> 0, true);
  return out;
}

/** RFC 8439 2.4: data XORed with the key stream that starts at block counter. */
export function chacha20(key, counter, nonce, data) {
  const out = new Uint8Array(data.length);
  for (let offset = 0; offset < data.length; offset += 64) {
    const stream = chacha20Block(key, counter + offset / 64, nonce);
    for (let i = offset; i < Math.min(offset + 64, data.length); i++) out[i] = data[i] ^ stream[i - offset];
  }
  return out;
}

function littleEndian(bytes) {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

/** RFC 8439 2.5: the 16-byte Poly1305 tag of message under a 32-byte one-time key. */
export function poly1305(key, message) {
  const r = littleEndian(key.subarray(0, 16)) & CLAMP;
  const s = littleEndian(key.subarray(16, 32));
  let accumulator = 0n;
  for (let offset = 0; offset < message.length; offset += 16) {
    const block = message.subarray(offset, Math.min(offset + 16, message.length));
    // The block with a 0x01 byte after it, as a number.
    const n = littleEndian(block) + (1n << BigInt(8 * block.length));
    accumulator = ((accumulator + n) * r) % P1305;
  }
  let tag = (accumulator + s) & ((1n << 128n) - 1n);
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    out[i] = Number(tag & 0xffn);
    tag >>= 8n;
  }
  return out;
}

/** RFC 8439 2.6: the Poly1305 key of one message, the first 32 bytes of its block 0. */
export function poly1305KeyGen(key, nonce) {
  return chacha20Block(key, 0, nonce).slice(0, 32);
}

/** RFC 8439 2.8: what the tag covers: aad, ciphertext, each padded to 16, then both lengths. */
function macData(aad, ciphertext) {
  const padded = n => Math.ceil(n / 16) * 16;
  const data = new Uint8Array(padded(aad.length) + padded(ciphertext.length) + 16);
  data.set(aad, 0);
  data.set(ciphertext, padded(aad.length));
  const view = new DataView(data.buffer);
  view.setBigUint64(data.length - 16, BigInt(aad.length), true);
  view.setBigUint64(data.length - 8, BigInt(ciphertext.length), true);
  return data;
}

/** RFC 8439 2.8: seals plaintext; returns the ciphertext with the 16-byte tag after it. */
export function seal(key, nonce, plaintext, aad) {
  const ciphertext = chacha20(key, 1, nonce, plaintext);
  const tag = poly1305(poly1305KeyGen(key, nonce), macData(aad, ciphertext));
  const out = new Uint8Array(ciphertext.length + 16);
  out.set(ciphertext, 0);
  out.set(tag, ciphertext.length);
  return out;
}

/** RFC 8439 2.8: the plaintext of sealed (ciphertext and tag), or null when the tag does not match. */
export function open(key, nonce, sealed, aad) {
  if (sealed.length < 16) return null;
  const ciphertext = sealed.subarray(0, sealed.length - 16);
  const expected = poly1305(poly1305KeyGen(key, nonce), macData(aad, ciphertext));
  // Every byte compared, so that the time taken does not say where the first difference is.
  let difference = 0;
  for (let i = 0; i < 16; i++) difference |= expected[i] ^ sealed[ciphertext.length + i];
  return difference === 0 ? chacha20(key, 1, nonce, ciphertext) : null;
}

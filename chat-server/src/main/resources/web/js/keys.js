// The user's keys and others' public keys, byte for byte as the Java clients and the server
// write them (docs/security.md, "How it works"): the chatkey1: token, fingerprints and hints,
// the key challenge's signature and the safety number. WebCrypto does Ed25519, X25519 and the
// hashes; the private keys it makes cannot be read out of the browser, not even by this page.

const subtle = crypto.subtle;
const ascii = text => new TextEncoder().encode(text);

export const KEY_PREFIX = 'chatkey1:';
const KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;
const HINT_BYTES = 4;
const CHALLENGE_CONTEXT = ascii('chat-identity-challenge-v1\0');
const SAFETY_ITERATIONS = 5200;
// 2^255 - 19, little-endian: a field element's 32 bytes must spell a smaller number.
const FIELD_PRIME = Uint8Array.from({length: 32}, (_, i) => i === 0 ? 0xed : i === 31 ? 0x7f : 0xff);

/** bytes joined into one Uint8Array. */
export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** bytes as unpadded base64url (RFC 4648, section 5). */
export function base64UrlEncode(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The bytes text spells, or null when it is not canonical unpadded base64url (another
 * character, padding, a length no byte count gives, unused bits set): one value, one spelling.
 */
export function base64UrlDecode(text, length = null) {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - text.length % 4) % 4));
  const bytes = Uint8Array.from(binary, c => c.charCodeAt(0));
  if (base64UrlEncode(bytes) !== text || (length !== null && bytes.length !== length)) return null;
  return bytes;
}

function belowFieldPrime(littleEndian) {
  for (let i = 31; i >= 0; i--) {
    if (littleEndian[i] !== FIELD_PRIME[i]) return littleEndian[i] < FIELD_PRIME[i];
  }
  return false;
}

async function sha256(bytes) {
  return new Uint8Array(await subtle.digest('SHA-256', bytes));
}

/** A SHA-256 digest as colon-separated upper-case hex pairs, as certificates' fingerprints are written. */
function colonHex(bytes) {
  return [...bytes].map(b => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

/** Someone's public keys: the Ed25519 key that checks their signatures, the X25519 key messages are sealed for. */
export class PublicKeys {
  constructor(bytes, agreementKey, digest) {
    this.bytes = bytes;
    this.agreementKey = agreementKey;
    this.digest = digest;
    this.token = KEY_PREFIX + base64UrlEncode(bytes);
    this.fingerprint = colonHex(digest);
    this.hint = digest.slice(0, HINT_BYTES);
  }

  /**
   * The keys of a chatkey1: token, read as strictly as the Java clients read it (canonical
   * base64url, y and u below the field's prime, X25519's top bit clear, no key of small order);
   * null for anything else.
   */
  static async parse(token) {
    if (typeof token !== 'string' || !token.startsWith(KEY_PREFIX)) return null;
    const bytes = base64UrlDecode(token.slice(KEY_PREFIX.length), 2 * KEY_BYTES);
    if (!bytes) return null;
    const ed25519 = bytes.slice(0, KEY_BYTES);
    const x25519 = bytes.slice(KEY_BYTES);
    const y = ed25519.slice();
    y[31] &= 0x7f;
    if (!belowFieldPrime(y) || (x25519[31] & 0x80) !== 0 || !belowFieldPrime(x25519)) return null;
    try {
      await subtle.importKey('raw', ed25519, {name: 'Ed25519'}, true, ['verify']);
      const agreementKey = await subtle.importKey('raw', x25519, {name: 'X25519'}, true, []);
      // An agreement with a key of small order gives zero, which WebCrypto refuses.
      await subtle.deriveBits({name: 'X25519', public: agreementKey}, (await probeKey()).privateKey, 256);
      return new PublicKeys(bytes, agreementKey, await sha256(bytes));
    } catch (e) {
      return null;
    }
  }

  equals(other) {
    return other != null && other.token === this.token;
  }
}

let probe = null;

function probeKey() {
  probe ??= subtle.generateKey({name: 'X25519'}, false, ['deriveBits']);
  return probe;
}

/** The user's two key pairs. The private keys are WebCrypto keys that cannot be exported. */
export class Identity {
  constructor(signing, agreement, publicKeys) {
    this.signing = signing;
    this.agreement = agreement;
    this.publicKeys = publicKeys;
  }

  /** New keys: Ed25519 to sign, X25519 to agree on secrets. */
  static async generate() {
    const signing = await subtle.generateKey({name: 'Ed25519'}, false, ['sign', 'verify']);
    const agreement = await subtle.generateKey({name: 'X25519'}, false, ['deriveBits']);
    return Identity.of(signing, agreement);
  }

  /** The identity of two key pairs as generate() makes them (and IndexedDB gives them back). */
  static async of(signing, agreement) {
    const bytes = concat(new Uint8Array(await subtle.exportKey('raw', signing.publicKey)),
      new Uint8Array(await subtle.exportKey('raw', agreement.publicKey)));
    const publicKeys = await PublicKeys.parse(KEY_PREFIX + base64UrlEncode(bytes));
    if (!publicKeys) throw new Error('the browser made keys that are not valid');
    return new Identity(signing, agreement, publicKeys);
  }

  /**
   * The key challenge signed for name, as /sign, /register and /publish carry it: over the
   * context, the certificate's SHA-256 (zeros without one), the challenge and the name in lower
   * case (docs/security.md, "The challenge and its signature").
   *
   * @param fingerprint the certificate's SHA-256 as 64 hex digits, colons allowed; null for none
   */
  async signChallenge(challengeToken, name, fingerprint) {
    const challenge = base64UrlDecode(challengeToken, 32);
    if (!challenge) throw new Error('not a key challenge');
    const certificate = fingerprint
      ? Uint8Array.from(fingerprint.replace(/:/g, '').match(/../g), h => parseInt(h, 16))
      : new Uint8Array(32);
    const signed = concat(CHALLENGE_CONTEXT, certificate, challenge, ascii(name.toLowerCase()));
    return base64UrlEncode(new Uint8Array(await subtle.sign({name: 'Ed25519'}, this.signing.privateKey, signed)));
  }

  /** The X25519 secret of the user's key and theirs; throws for a key of small order. */
  async agree(theirAgreementKey) {
    return agree(this.agreement.privateKey, theirAgreementKey);
  }
}

/** X25519 of a private and a public WebCrypto key: 32 bytes; throws when the result is zero. */
export async function agree(privateKey, publicKey) {
  return new Uint8Array(await subtle.deriveBits({name: 'X25519', public: publicKey}, privateKey, 256));
}

/** One user's 30 digits of a safety number, as Signal's version 1 computes them. */
async function safetyHalf(keyBytes, name) {
  let hash = concat(new Uint8Array(2), keyBytes, ascii(name.toLowerCase()));
  for (let i = 0; i < SAFETY_ITERATIONS; i++) {
    hash = new Uint8Array(await subtle.digest('SHA-512', concat(hash, keyBytes)));
  }
  let digits = '';
  for (let group = 0; group < 6; group++) {
    let piece = 0;
    for (let i = 0; i < 5; i++) piece = piece * 256 + hash[group * 5 + i];
    digits += String(piece % 100000).padStart(5, '0');
  }
  return digits;
}

/**
 * The 60 digits two users compare, in 12 groups of 5 separated by blanks: the same on both sides,
 * and the same as the Java clients show.
 */
export async function safetyNumber(name, keys, otherName, otherKeys) {
  const mine = await safetyHalf(keys.bytes, name);
  const theirs = await safetyHalf(otherKeys.bytes, otherName);
  const digits = mine <= theirs ? mine + theirs : theirs + mine;
  return digits.match(/.{5}/g).join(' ');
}

export {SIGNATURE_BYTES, HINT_BYTES};

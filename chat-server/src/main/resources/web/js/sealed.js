// A private message sealed for one recipient (e2e1:…), made and opened exactly as the Java
// clients' SealedMessage does (docs/security.md, "A sealed message"): a fresh X25519 key per
// message, HKDF-SHA256 over the ephemeral and the static secret, ChaCha20-Poly1305 with the
// version, the header and both names as associated data.

import {agree, base64UrlDecode, base64UrlEncode, concat} from './keys.js';
import * as aead from './chacha20poly1305.js';

export const SEALED_PREFIX = 'e2e1:';
const ANY_VERSION = /^e2e[0-9]+:/;
const VERSION = new TextEncoder().encode('e2e1');
const INFO = new TextEncoder().encode('chat-e2e1-message-key');
const KEY_BYTES = 32;
const ID_BYTES = 16;
const HINT_BYTES = 4;
const HEADER_BYTES = KEY_BYTES + ID_BYTES + 2 * HINT_BYTES;
const TAG_BYTES = 16;
const PADDING_BLOCK = 32;
const REPLAY_WINDOW = 256;

/** The most UTF-8 bytes of text a sealed message holds on a server with the default line limit. */
export const MAX_PLAINTEXT_BYTES = 2975;

/** Why a sealed message was not opened: the same reasons, in the same words, as the Java clients. */
export const Reason = Object.freeze({
  MALFORMED: 'it is damaged: not a sealed message this client can read',
  UNKNOWN_VERSION: 'it was sealed by a newer version of the client',
  WRONG_RECIPIENT_KEY: 'it was sealed for another key than yours: the sender may hold an old key of yours',
  WRONG_SENDER_KEY: 'it was sealed with another key than the one you hold for the sender',
  TAMPERED: 'it was changed on the way, or not sealed by the sender',
  REPLAYED: 'it is a copy of a message you already received, or older than the latest ones from the sender',
});

export class OpenFailed extends Error {
  constructor(reason, sender) {
    super(`a private message from ${sender} could not be read: ${reason}`);
    this.reason = reason;
  }
}

/** Whether text is a sealed message of any version, readable or not. */
export function isSealed(text) {
  return ANY_VERSION.test(text);
}

/**
 * The text as it is sealed: control characters (but tab) and the bidirectional controls removed,
 * as the server removes them from plain lines (the protocol's Text.isUnsafe).
 */
export function stripControls(text) {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/g, '');
}

/** How many bytes of a sealed message text takes. */
export function plaintextBytes(text) {
  return new TextEncoder().encode(stripControls(text)).length;
}

let lastMillis = 0n;

/** A message id: the clock in ms (8 bytes, big-endian, never the same or lower twice) and 8 random bytes. */
function nextMessageId() {
  lastMillis = BigInt(Date.now()) > lastMillis ? BigInt(Date.now()) : lastMillis + 1n;
  const id = new Uint8Array(ID_BYTES);
  new DataView(id.buffer).setBigUint64(0, lastMillis);
  crypto.getRandomValues(id.subarray(8));
  return id;
}

/** HKDF-SHA256 of es || ss, salt the ephemeral key, info the label and both users' keys: the key and the nonce. */
async function messageKey(ephemeralSecret, staticSecret, ephemeralPublic, sender, recipient) {
  const material = await crypto.subtle.importKey('raw', concat(ephemeralSecret, staticSecret), 'HKDF', false,
    ['deriveBits']);
  const derived = new Uint8Array(await crypto.subtle.deriveBits(
    {name: 'HKDF', hash: 'SHA-256', salt: ephemeralPublic, info: concat(INFO, sender.bytes, recipient.bytes)},
    material, 8 * (KEY_BYTES + 12)));
  return {key: derived.slice(0, KEY_BYTES), nonce: derived.slice(KEY_BYTES)};
}

/** "e2e1", the header, then each name in lower case after its length in one byte. */
function associatedData(header, senderName, recipientName) {
  const names = [senderName, recipientName].map(name => {
    const bytes = new TextEncoder().encode(name.toLowerCase());
    return concat(Uint8Array.of(bytes.length), bytes);
  });
  return concat(VERSION, header, ...names);
}

/**
 * Seals text (control characters removed) from identity, signed on as senderName, for
 * recipientName, whose keys are recipient (a PublicKeys). Returns the e2e1: token; throws when
 * the text is longer than MAX_PLAINTEXT_BYTES.
 */
export async function seal(identity, senderName, recipient, recipientName, text) {
  const plain = new TextEncoder().encode(stripControls(text));
  if (plain.length > MAX_PLAINTEXT_BYTES) {
    throw new Error(`a sealed message holds at most ${MAX_PLAINTEXT_BYTES} bytes of text, not ${plain.length}`);
  }
  const ephemeral = await crypto.subtle.generateKey({name: 'X25519'}, true, ['deriveBits']);
  const ephemeralPublic = new Uint8Array(await crypto.subtle.exportKey('raw', ephemeral.publicKey));
  const ephemeralSecret = await agree(ephemeral.privateKey, recipient.agreementKey);
  const staticSecret = await identity.agree(recipient.agreementKey);
  const header = concat(ephemeralPublic, nextMessageId(), identity.publicKeys.hint, recipient.hint);
  const {key, nonce} = await messageKey(ephemeralSecret, staticSecret, ephemeralPublic, identity.publicKeys, recipient);
  const padded = new Uint8Array((Math.floor(plain.length / PADDING_BLOCK) + 1) * PADDING_BLOCK);
  padded.set(plain);
  padded[plain.length] = 0x80;
  const sealed = aead.seal(key, nonce, padded, associatedData(header, senderName, recipientName));
  return SEALED_PREFIX + base64UrlEncode(concat(header, sealed));
}

function sameBytes(a, b) {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * Opens a sealed message that senderName, whose pinned keys are sender, sent to identity, signed
 * on as recipientName; the checks, in the Java clients' order, and the message's id remembered in
 * seen. Returns {text, sentAt}; throws OpenFailed with the reason.
 */
export async function open(identity, recipientName, sender, senderName, token, seen) {
  if (!token.startsWith(SEALED_PREFIX)) {
    throw new OpenFailed(isSealed(token) ? Reason.UNKNOWN_VERSION : Reason.MALFORMED, senderName);
  }
  const bytes = base64UrlDecode(token.slice(SEALED_PREFIX.length));
  const sealedLength = bytes === null ? -1 : bytes.length - HEADER_BYTES;
  if (sealedLength < PADDING_BLOCK + TAG_BYTES || (sealedLength - TAG_BYTES) % PADDING_BLOCK !== 0) {
    throw new OpenFailed(Reason.MALFORMED, senderName);
  }
  const header = bytes.slice(0, HEADER_BYTES);
  const ephemeralPublic = header.slice(0, KEY_BYTES);
  const id = header.slice(KEY_BYTES, KEY_BYTES + ID_BYTES);
  const senderHint = header.slice(KEY_BYTES + ID_BYTES, KEY_BYTES + ID_BYTES + HINT_BYTES);
  const recipientHint = header.slice(KEY_BYTES + ID_BYTES + HINT_BYTES);
  if (!sameBytes(recipientHint, identity.publicKeys.hint)) throw new OpenFailed(Reason.WRONG_RECIPIENT_KEY, senderName);
  if (!sameBytes(senderHint, sender.hint)) throw new OpenFailed(Reason.WRONG_SENDER_KEY, senderName);
  let padded;
  try {
    const ephemeral = await crypto.subtle.importKey('raw', ephemeralPublic, {name: 'X25519'}, false, []);
    const ephemeralSecret = await identity.agree(ephemeral);
    const staticSecret = await identity.agree(sender.agreementKey);
    const {key, nonce} = await messageKey(ephemeralSecret, staticSecret, ephemeralPublic, sender, identity.publicKeys);
    padded = aead.open(key, nonce, bytes.subarray(HEADER_BYTES), associatedData(header, senderName, recipientName));
  } catch (e) {
    // An ephemeral key of small order is made by nobody but an attacker.
    padded = null;
  }
  if (padded === null) throw new OpenFailed(Reason.TAMPERED, senderName);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0 || padded[end] !== 0x80 || padded.length - end > PADDING_BLOCK) {
    throw new OpenFailed(Reason.MALFORMED, senderName);
  }
  let text;
  try {
    text = new TextDecoder('utf-8', {fatal: true}).decode(padded.subarray(0, end));
  } catch (e) {
    throw new OpenFailed(Reason.MALFORMED, senderName);
  }
  if (!seen.firstSight(senderName, id)) throw new OpenFailed(Reason.REPLAYED, senderName);
  const millis = new DataView(id.buffer).getBigUint64(0);
  return {text: stripControls(text), sentAt: new Date(Number(millis))};
}

/**
 * The ids of the sealed messages opened, per sender: the 256 latest, and the newest one dropped,
 * as the Java clients' ReplayGuard keeps them. Lasts as long as the page.
 */
export class ReplayGuard {
  constructor() {
    this.senders = new Map();
  }

  /** Whether id (16 bytes) from sender is new, remembering it; only for a message that authenticated. */
  firstSight(sender, id) {
    // The id as 32 hex digits: they order as the ids do (the time, then the random part unsigned).
    const key = [...id].map(b => b.toString(16).padStart(2, '0')).join('');
    const name = sender.toLowerCase();
    let window = this.senders.get(name);
    if (!window) {
      window = {seen: [], forgotten: null};
      this.senders.set(name, window);
    }
    if ((window.forgotten !== null && key <= window.forgotten) || window.seen.includes(key)) return false;
    window.seen.push(key);
    window.seen.sort();
    if (window.seen.length > REPLAY_WINDOW) window.forgotten = window.seen.shift();
    return true;
  }
}

// What the page keeps of keys in the browser's IndexedDB, per origin: the user's own key pairs
// (made on first use, their private halves not extractable) and the keys of others pinned on first
// sight, as the Java clients keep ~/.chat/identity and ~/.chat/known-keys.

import {Identity, PublicKeys} from './keys.js';

const DATABASE = 'chat-keys';
const IDENTITY = 'identity';
const KNOWN = 'known-keys';
const OWN = 'own';

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

let database = null;

/** The database, opened once for the page (and again if another page upgrades it). */
function openDatabase() {
  database ??= new Promise((resolve, reject) => {
    const opening = indexedDB.open(DATABASE, 1);
    opening.onupgradeneeded = () => {
      opening.result.createObjectStore(IDENTITY);
      opening.result.createObjectStore(KNOWN);
    };
    opening.onsuccess = () => {
      opening.result.onversionchange = () => {
        opening.result.close();
        database = null;
      };
      resolve(opening.result);
    };
    opening.onerror = () => {
      database = null;
      reject(opening.error);
    };
  });
  return database;
}

/** One store of the database, for one request. */
async function store(name, mode) {
  return (await openDatabase()).transaction(name, mode).objectStore(name);
}

/**
 * The user's identity: the one kept, or new keys made and kept now. Two pages opened at once
 * both try; the first to write wins, and the other uses the keys written.
 */
export async function loadIdentity() {
  const kept = await request((await store(IDENTITY, 'readonly')).get(OWN));
  if (kept) return Identity.of(kept.signing, kept.agreement);
  const made = await Identity.generate();
  try {
    await request((await store(IDENTITY, 'readwrite')).add({signing: made.signing, agreement: made.agreement}, OWN));
    return made;
  } catch (e) {
    const winner = await request((await store(IDENTITY, 'readonly')).get(OWN));
    if (!winner) throw e;
    return Identity.of(winner.signing, winner.agreement);
  }
}

/** A pinned key: {name, keys (PublicKeys), verified}. */
export class KnownKeys {
  /** The pin of name, or null. */
  async pinned(name) {
    const kept = await request((await store(KNOWN, 'readonly')).get(name.toLowerCase()));
    if (!kept) return null;
    const keys = await PublicKeys.parse(kept.token);
    return keys ? {name: kept.name, keys, verified: kept.verified === true} : null;
  }

  /**
   * Checks offered keys of name against the pin: {kind: 'first-seen'} (pinned now), {kind:
   * 'same'}, or {kind: 'changed', pinned, wasVerified}, which changes nothing.
   */
  async check(name, offered) {
    const pin = await this.pinned(name);
    if (!pin) {
      await this.write(name, offered, false);
      return {kind: 'first-seen'};
    }
    if (pin.keys.equals(offered)) return {kind: 'same'};
    return {kind: 'changed', pinned: pin.keys, wasVerified: pin.verified};
  }

  /** Pins offered for name in place of what was pinned, not verified. */
  accept(name, offered) {
    return this.write(name, offered, false);
  }

  /** Drops the pin of name. */
  async forget(name) {
    await request((await store(KNOWN, 'readwrite')).delete(name.toLowerCase()));
  }

  /** Marks name verified when keys are still the ones pinned; returns whether it did. */
  async markVerified(name, keys) {
    const pin = await this.pinned(name);
    if (!pin || !pin.keys.equals(keys)) return false;
    await this.write(name, keys, true);
    return true;
  }

  async write(name, keys, verified) {
    await request((await store(KNOWN, 'readwrite')).put({name, token: keys.token, verified}, name.toLowerCase()));
  }
}

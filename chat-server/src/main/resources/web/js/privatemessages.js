// The page's private messages, sealed end to end between key holders, as the Java clients'
// PrivateMessages does it (docs/security.md, the table under "Trust on first use"): /key NAME
// before each message to NAME, the key pinned on first sight, messages to and from a contact
// whose key changed (or went) held until the user accepts, every message marked. All its work
// runs one step after another (later()), in the order the lines came and the user typed; the page
// runs its handling of every server line as such a step, so that lines show in the order they came.

import {PublicKeys, safetyNumber} from './keys.js';
import {isSealed, MAX_PLAINTEXT_BYTES, open, OpenFailed, plaintextBytes, Reason, ReplayGuard, seal} from './sealed.js';

const NAME = /^[A-Za-z0-9_.-]{1,20}$/;
const NOBODY_CALLED = 'nobody called ';
const SENT_REMEMBERED = 256;
/** The server's default line limit, in bytes. */
const MAX_LINE_BYTES = 4096;

/** How a private message is marked: the same words as the console client's. */
export const Privacy = Object.freeze({
  SEALED: '[sealed]',
  VERIFIED: '[sealed, verified]',
  NOT_SEALED: '[not encrypted]',
  NOT_SEALED_FROM_KEY_HOLDER: '[NOT ENCRYPTED, though they have a key]',
});

const key = name => name.toLowerCase();

function holdMessage(hold) {
  if (hold.offered) {
    return `WARNING: the key of ${hold.name} has CHANGED${hold.wasVerified ? ' (you had verified the old one)' : ''}.`
      + ` Someone may be posing as ${hold.name}, or ${hold.name} made a new key.`
      + ` Pinned: ${hold.pinned.fingerprint}. Offered now: ${hold.offered.fingerprint}.`
      + ` Messages to ${hold.name} wait until you accept the new key;`
      + ` ask ${hold.name} another way first, then compare safety numbers with /verify ${hold.name}.`;
  }
  return `WARNING: the server says ${hold.name} has NO KEY any more, but you hold one for ${hold.name}`
    + `${hold.wasVerified ? ' (and had verified it)' : ''}: ${hold.pinned.fingerprint}.`
    + ` Someone else may be using the name, or ${hold.name} gave up the key.`
    + ` Messages to ${hold.name} wait until you accept that they go unencrypted; ask ${hold.name} another way first.`;
}

export class PrivateMessages {
  /**
   * @param identity  the user's keys (keys.js Identity), or null without keys
   * @param knownKeys the pinned keys of others (keystore.js KnownKeys)
   * @param me        () => the user's name now
   * @param wire      line => whether it was sent
   * @param tell      event => shows it: {kind: 'line', line, text, privacy} (a private message or its
   *                  confirmation, text opened), {kind: 'notice', name, text} (a message not sent or not
   *                  opened), {kind: 'key-changed', name, text} (loud)
   */
  constructor(identity, knownKeys, me, wire, tell) {
    this.identity = identity;
    this.knownKeys = knownKeys;
    this.me = me;
    this.wire = wire;
    this.tell = tell;
    this.seen = new ReplayGuard();
    this.queue = Promise.resolve();
    this.connected = false;
    /** The /key requests sent and not answered, by name key: {name, outgoing, incoming, verifications}. */
    this.asked = new Map();
    /** The contacts whose key changed, by name key: {name, pinned, offered (null: none), wasVerified, outgoing, incoming}. */
    this.held = new Map();
    /** The texts of sealed messages sent, by token, until the server confirms them. */
    this.sentTexts = new Map();
  }

  /** Runs work after every step queued before it; a failure is shown, never thrown at the page. */
  later(work) {
    this.queue = this.queue.then(work).catch(e => this.tell({kind: 'notice', name: null, text: `Not done: ${e.message}.`}));
    return this.queue;
  }

  /**
   * Whether text fits in one private message: sealed, when the page has keys (whether the
   * recipient has one is known only later), else in one line of the server's default size.
   * Returns the reason it does not, or null.
   */
  tooLong(to, text) {
    if (this.identity) {
      const bytes = plaintextBytes(text);
      return bytes <= MAX_PLAINTEXT_BYTES ? null
        : `too long for one private message: ${bytes} bytes, at most ${MAX_PLAINTEXT_BYTES} (UTF-8)`;
    }
    const bytes = new TextEncoder().encode(`/msg ${to} ${text}`).length;
    return bytes <= MAX_LINE_BYTES ? null : `too long for one line: ${bytes} bytes, at most ${MAX_LINE_BYTES}`;
  }

  /** A connection is signed on; in a step of later(). */
  signedOn() {
    this.connected = true;
  }

  /** The connection ended: what waited is not sent, and the user is told. */
  ended() {
    this.later(() => {
      this.connected = false;
      for (const request of this.asked.values()) {
        this.notSent(request.name, request.outgoing, `the connection was lost before ${request.name}'s key came`);
        for (const pm of request.incoming) {
          this.notOpened(pm.name, 'the connection was lost before their key came');
        }
        request.verifications.forEach(v => v.reject(new Error('the connection was lost')));
      }
      for (const hold of this.held.values()) {
        this.notSent(hold.name, hold.outgoing,
          `the connection was lost while it waited for you to accept the change of ${hold.name}'s key`);
      }
      this.asked.clear();
      this.held.clear();
      this.sentTexts.clear();
    });
  }

  // ---- Sending ----

  /** The user wrote text to to: sealed, plain, or held, as the table says. */
  send(to, text) {
    const problem = this.tooLong(to, text);
    if (problem) {
      this.later(() => this.notSent(to, [text], problem));
      return;
    }
    this.later(async () => {
      if (!this.connected) {
        this.notSent(to, [text], 'not connected');
      } else if (!this.identity || !NAME.test(to)) {
        this.transmit(to, text, text);
      } else if (this.held.has(key(to))) {
        const hold = this.held.get(key(to));
        hold.outgoing.push(text);
        this.warn(hold);
      } else {
        this.request(to).outgoing.push(text);
      }
    });
  }

  async sendSealed(to, keys, text) {
    const token = await seal(this.identity, this.me(), keys, to, text);
    this.sentTexts.set(token, text);
    if (this.sentTexts.size > SENT_REMEMBERED) this.sentTexts.delete(this.sentTexts.keys().next().value);
    this.transmit(to, token, text);
  }

  transmit(to, wireText, text) {
    if (!this.wire(`/msg ${to} ${wireText}`)) this.notSent(to, [text], 'the connection is gone');
  }

  notSent(to, texts, reason) {
    for (const text of texts) this.tell({kind: 'notice', name: to, text: `Not sent to ${to}: "${text}" (${reason}).`});
  }

  notOpened(from, why) {
    this.tell({kind: 'notice', name: from, text: `A sealed private message from ${from} could not be read: ${why}.`});
  }

  /** The request for the key of name under way, or a new one sent now. */
  request(name) {
    let request = this.asked.get(key(name));
    if (!request) {
      request = {name, outgoing: [], incoming: [], verifications: []};
      this.asked.set(key(name), request);
      this.wire(`/key ${name}`);
    }
    return request;
  }

  // ---- What the server sends ----

  /**
   * Takes in a parsed server line, in a step of later(): private messages and their
   * confirmations, and the answers to the page's own /key requests. Resolves to whether the line
   * was taken (the page shows nothing else for it).
   */
  async take(line) {
    if (line.room) return false;
    switch (line.kind) {
      case 'pm':
        await this.received(line);
        return true;
      case 'pm-sent':
        await this.confirmed(line);
        return true;
      case 'key': {
        const request = this.answered(line.name);
        if (!request) return false;
        const keys = await PublicKeys.parse(line.token);
        if (keys) {
          await this.keyGiven(request, line.name, keys);
        } else {
          this.failed(request, `the server gave a key for ${line.name} that is not a valid key`);
        }
        return true;
      }
      case 'no-key': {
        const request = this.answered(line.name);
        if (!request) return false;
        await this.noKeyGiven(request, line.name);
        return true;
      }
      case 'error': {
        if (line.code !== 'no-such-user' || !line.text.startsWith(NOBODY_CALLED)) return false;
        const request = this.answered(line.text.slice(NOBODY_CALLED.length).split(' ')[0]);
        if (!request) return false;
        this.failed(request, line.text);
        return true;
      }
      default:
        return false;
    }
  }

  /** The request for name's key that an answer of the server ends, or null when the page asked none. */
  answered(name) {
    const request = this.asked.get(key(name));
    this.asked.delete(key(name));
    return request ?? null;
  }

  async keyGiven(request, name, offered) {
    const check = await this.knownKeys.check(name, offered);
    if (check.kind === 'changed') {
      this.hold(request, {name, pinned: check.pinned, offered, wasVerified: check.wasVerified});
      return;
    }
    for (const text of request.outgoing) await this.sendSealed(name, offered, text);
    for (const pm of request.incoming) await this.open(pm, offered, false);
    for (const v of request.verifications) v.resolve(await this.verificationOf(name, offered));
  }

  async noKeyGiven(request, name) {
    const pin = await this.knownKeys.pinned(name);
    if (pin) {
      // Never a silent fallback to plain text for a contact whose key is pinned.
      this.hold(request, {name, pinned: pin.keys, offered: null, wasVerified: pin.verified});
      return;
    }
    request.outgoing.forEach(text => this.transmit(name, text, text));
    request.incoming.forEach(pm => this.notOpened(pm.name, `the server says ${name} has no key`));
    request.verifications.forEach(v => v.reject(new Error(`${name} has no key: messages to and from ${name} are not encrypted`)));
  }

  failed(request, why) {
    this.notSent(request.name, request.outgoing, why);
    request.incoming.forEach(pm => this.notOpened(pm.name, why));
    request.verifications.forEach(v => v.reject(new Error(why)));
  }

  hold(request, hold) {
    let kept = this.held.get(key(hold.name));
    if (!kept) {
      kept = {...hold, outgoing: [], incoming: []};
      this.held.set(key(hold.name), kept);
    }
    kept.outgoing.push(...request.outgoing);
    kept.incoming.push(...request.incoming);
    request.verifications.forEach(v => v.reject(new Error(holdMessage(kept))));
    this.warn(kept);
  }

  warn(hold) {
    const waiting = hold.outgoing.length;
    const count = waiting === 0 ? '' : waiting === 1 ? ' 1 message waits.' : ` ${waiting} messages wait.`;
    this.tell({kind: 'key-changed', name: hold.name, text: holdMessage(hold) + count + ` /accept ${hold.name} accepts it.`});
  }

  async received(pm) {
    const from = pm.name;
    if (!isSealed(pm.text)) {
      const pinned = this.identity && await this.knownKeys.pinned(from);
      this.tell({kind: 'line', line: pm, text: pm.text,
        privacy: pinned ? Privacy.NOT_SEALED_FROM_KEY_HOLDER : Privacy.NOT_SEALED});
      if (pinned) {
        this.tell({kind: 'notice', name: from, text: `WARNING: that message from ${from} was not encrypted, though you`
          + ` hold a key for ${from}: the server, or someone else now using the name, may have written it.`});
      }
      return;
    }
    if (!this.identity) {
      this.notOpened(from, 'this page runs without keys');
      return;
    }
    const hold = this.held.get(key(from));
    if (hold) {
      hold.incoming.push(pm);
      this.warn(hold);
      return;
    }
    const pin = await this.knownKeys.pinned(from);
    if (pin) {
      await this.open(pm, pin.keys, true);
    } else {
      this.request(from).incoming.push(pm);
    }
  }

  /** Opens a sealed message from a sender whose keys are sender; sealed with another key, asks for the sender's first. */
  async open(pm, sender, askAgain) {
    try {
      const opened = await open(this.identity, this.me(), sender, pm.name, pm.text, this.seen);
      this.tell({kind: 'line', line: pm, text: opened.text, privacy: await this.privacyWith(pm.name)});
    } catch (e) {
      if (!(e instanceof OpenFailed)) throw e;
      if (e.reason === Reason.WRONG_SENDER_KEY && askAgain && this.connected) {
        this.request(pm.name).incoming.push(pm);
        return;
      }
      this.tell({kind: 'notice', name: pm.name, text: e.message.charAt(0).toUpperCase() + e.message.slice(1) + '.'});
    }
  }

  async confirmed(sent) {
    const text = this.sentTexts.get(sent.text);
    if (text !== undefined) {
      this.sentTexts.delete(sent.text);
      this.tell({kind: 'line', line: sent, text, privacy: await this.privacyWith(sent.name)});
    } else {
      this.tell({kind: 'line', line: sent, text: sent.text, privacy: Privacy.NOT_SEALED});
    }
  }

  async privacyWith(name) {
    const pin = await this.knownKeys.pinned(name);
    return pin?.verified ? Privacy.VERIFIED : Privacy.SEALED;
  }

  // ---- The user's word ----

  /** /accept NAME: pins the new key (or drops the pin), sends and opens what waited; resolves to what to tell the user. */
  accept(name) {
    return this.later(async () => {
      if (!NAME.test(name)) return `"${name}" is not a name.`;
      const hold = this.held.get(key(name));
      if (!hold) return `Nothing waits for a change of ${name}'s key.`;
      this.held.delete(key(name));
      if (hold.offered) {
        await this.knownKeys.accept(hold.name, hold.offered);
      } else {
        await this.knownKeys.forget(hold.name);
      }
      const waiting = hold.outgoing.length;
      if (!this.connected) {
        this.notSent(hold.name, hold.outgoing, 'not connected');
      } else if (hold.offered) {
        for (const text of hold.outgoing) await this.sendSealed(hold.name, hold.offered, text);
        for (const pm of hold.incoming) await this.open(pm, hold.offered, false);
      } else {
        hold.outgoing.forEach(text => this.transmit(hold.name, text, text));
        hold.incoming.forEach(pm => this.notOpened(pm.name, `${hold.name} has no key now`));
      }
      const sent = waiting === 0 ? 'no message waited' : waiting === 1 ? '1 waiting message sent' : `${waiting} waiting messages sent`;
      return hold.offered
        ? `Accepted the new key of ${hold.name} (${hold.offered.fingerprint}), not verified; ${sent}.`
          + ` Compare safety numbers with ${hold.name} to verify it.`
        : `Forgot the key of ${hold.name}; ${sent.replace('sent', 'sent unencrypted')}.`;
    });
  }

  /**
   * /verify NAME: resolves to {name, keys, number, verified} with the key pinned for name, asking
   * the server (and pinning) when none is; rejects with a reason fit for users.
   */
  verification(name) {
    return new Promise((resolve, reject) => {
      this.later(async () => {
        try {
          if (!this.identity) throw new Error('this page runs without keys');
          if (!NAME.test(name)) throw new Error(`"${name}" is not a name`);
          const hold = this.held.get(key(name));
          if (hold) throw new Error(holdMessage(hold));
          const pin = await this.knownKeys.pinned(name);
          if (pin) {
            resolve(await this.verificationOf(name, pin.keys));
          } else if (!this.connected) {
            throw new Error(`not connected, and no key of ${name} is pinned`);
          } else {
            this.request(name).verifications.push({resolve, reject});
          }
        } catch (e) {
          reject(e);
        }
      });
    });
  }

  async verificationOf(name, keys) {
    const pin = await this.knownKeys.pinned(name);
    return {
      name,
      keys,
      number: await safetyNumber(this.me(), this.identity.publicKeys, name, keys),
      verified: pin !== null && pin.keys.equals(keys) && pin.verified,
    };
  }
}

// One chat session over the server's WebSocket: signs on (with the key challenge signed, when
// the page has keys, so that a name registered to them is given), hands every parsed line to the
// listener, and brings a lost connection back with backoff (1 s doubling to 30 s), signing on
// again with the same name and password. One text frame is one line, both ways.

import {parseLine} from './lines.js';

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;

/** Errors during sign-on that end it: the user must change something before trying again. */
const FATAL_AT_SIGN_ON = new Set(['name-taken', 'name-invalid', 'name-registered', 'password-wrong', 'password-required',
  'banned']);

/** Errors after which the server closes the connection, and the page does not come back by itself. */
const ENDS_THE_SESSION = new Set(['kicked', 'banned', 'flooding', 'binary-frame']);

export class ChatSession {
  /**
   * @param listener {
   *   line(parsed)                  every line, after sign-on and before (greeting lines)
   *   signedOn(name, firstTime)     the welcome came
   *   state(state, detail)          'connecting' | 'online' | 'waiting' (detail: seconds left) | 'ended' (detail: why)
   *   refused(error)                sign-on failed: {code, text}; no reconnect
   * }
   * @param sign async (challenge, name) => the challenge signed for name, or null without keys
   */
  constructor(listener, sign = async () => null, url = ChatSession.defaultUrl()) {
    this.listener = listener;
    this.sign = sign;
    this.url = url;
    /** This connection's key challenge, or null when the server sent none (it registers no names). */
    this.challenge = null;
    this.socket = null;
    this.name = null;
    this.password = null;
    this.signedOnOnce = false;
    this.delay = FIRST_DELAY_MS;
    this.timer = null;
    this.ending = false;
  }

  static defaultUrl() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}/chat`;
  }

  /** Connects and signs on as name (with the server's password, if it asks and one is given). */
  start(name, password) {
    this.name = name;
    this.password = password || null;
    this.ending = false;
    this.endReason = null;
    this.signedOnOnce = false;
    this.connect();
  }

  connect() {
    clearInterval(this.timer);
    this.timer = null;
    this.listener.state('connecting');
    this.signedOn = false;
    this.challenge = null;
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch (e) {
      this.lost();
      return;
    }
    this.socket = socket;
    socket.onmessage = event => {
      if (socket === this.socket) this.receive(parseLine(String(event.data)));
    };
    socket.onclose = () => {
      if (socket === this.socket) this.lost();
    };
  }

  receive(line) {
    if (!this.signedOn) {
      if (this.signedOnOnce && line.kind === 'info') {
        // The greeting again, after a reconnect: it was shown the first time.
        return;
      }
      if (line.kind === 'key-challenge') {
        // The sign-on's business, and random characters to a person: not shown.
        this.challenge = line.challenge;
        return;
      }
      if (line.kind === 'name-prompt') {
        this.proposeName();
        return;
      }
      if (line.kind === 'password-prompt') {
        if (this.password) {
          this.sendRaw(`/pass ${this.password}`);
        } else {
          this.refuse({code: 'password-required', text: 'this server needs a password'});
        }
        return;
      }
      if (line.kind === 'error' && FATAL_AT_SIGN_ON.has(line.code)) {
        this.refuse(line);
        return;
      }
      if (line.kind === 'welcome') {
        this.signedOn = true;
        this.name = line.name;
        this.delay = FIRST_DELAY_MS;
        const firstTime = !this.signedOnOnce;
        this.signedOnOnce = true;
        this.listener.state('online');
        this.listener.signedOn(line.name, firstTime);
      }
    } else if (line.kind === 'welcome') {
      return;
    }
    if (line.kind === 'nick' && line.name.toLowerCase() === this.name.toLowerCase()) {
      this.name = line.newName;
    }
    if (line.kind === 'goodbye') {
      this.ending = true;
      this.endReason = 'You left the chat.';
    }
    if (line.kind === 'error' && ENDS_THE_SESSION.has(line.code)) {
      // Put out by an operator or by the server's limits: coming straight back would be refused, or rude.
      this.ending = true;
      this.endReason = `Disconnected by the server (${line.code}).`;
    }
    this.listener.line(line);
  }

  /** Sends the name, as /sign NAME SIGNATURE when the page has keys and the server a challenge. */
  async proposeName() {
    const socket = this.socket;
    let signature = null;
    if (this.challenge) {
      try {
        signature = await this.sign(this.challenge, this.name);
      } catch (e) {
        // Without a signature the name is still given, unless it is registered.
        signature = null;
      }
    }
    if (socket !== this.socket) return;
    this.sendRaw(signature ? `/sign ${this.name} ${signature}` : this.name);
  }

  refuse(error) {
    this.ending = true;
    const socket = this.socket;
    this.socket = null;
    if (socket) socket.close();
    this.listener.refused(error);
  }

  /** The connection is gone: unless the user ended it, try again after the backoff, counting down. */
  lost() {
    this.socket = null;
    if (this.ending) {
      this.listener.state('ended', this.endReason ?? 'You left the chat.');
      return;
    }
    if (!this.signedOnOnce) {
      this.listener.refused({code: 'unreachable', text: 'the server could not be reached'});
      return;
    }
    let left = Math.round(this.delay / 1000);
    this.delay = Math.min(this.delay * 2, MAX_DELAY_MS);
    this.listener.state('waiting', left);
    this.timer = setInterval(() => {
      left -= 1;
      if (left <= 0) {
        this.connect();
      } else {
        this.listener.state('waiting', left);
      }
    }, 1000);
  }

  /** Skips the rest of the wait. */
  reconnectNow() {
    if (this.timer) this.connect();
  }

  /** Sends one line as one text frame; false when not connected. */
  sendRaw(line) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(line);
    return true;
  }

  /** Sends a line of a signed-on session. */
  send(line) {
    return this.signedOn && this.sendRaw(line);
  }

  /** Leaves with /quit, or closes what is there. */
  quit() {
    this.ending = true;
    this.endReason = 'You left the chat.';
    clearInterval(this.timer);
    this.timer = null;
    if (!this.sendRaw('/quit') && this.socket) this.socket.close();
  }
}

// What the page shows, without the page: the conversations (one per room, one per private
// partner), their lines, members, topics and unread counts. Fed with parsed lines; no DOM here.

import {nameKey} from './lines.js';

/** The most lines a conversation keeps; older ones go. */
const MAX_LINES = 2000;

export class Conversations {
  constructor() {
    /** key → conversation; rooms are keyed '#room' (lower case), private ones '@name' (lower case). */
    this.all = new Map();
    this.activeKey = null;
    this.defaultRoom = null;
    this.me = null;
  }

  static roomKey(room) {
    return room.toLowerCase();
  }

  static pmKey(name) {
    return '@' + nameKey(name);
  }

  get active() {
    return this.all.get(this.activeKey) ?? null;
  }

  room(room) {
    const key = Conversations.roomKey(room);
    let conversation = this.all.get(key);
    if (!conversation) {
      conversation = {key, kind: 'room', title: room, lines: [], members: new Map(), topic: '',
        unread: 0, mentioned: false, seenHistory: new Set()};
      this.all.set(key, conversation);
    }
    return conversation;
  }

  pm(name) {
    const key = Conversations.pmKey(name);
    let conversation = this.all.get(key);
    if (!conversation) {
      conversation = {key, kind: 'pm', title: name, lines: [], members: new Map(), topic: '',
        unread: 0, mentioned: false, seenHistory: new Set()};
      this.all.set(key, conversation);
    }
    conversation.title = name;
    conversation.members = new Map([[nameKey(name), name]]);
    if (this.me) conversation.members.set(nameKey(this.me), this.me);
    return conversation;
  }

  remove(key) {
    this.all.delete(key);
    if (this.activeKey === key) {
      const defaultKey = this.defaultRoom && Conversations.roomKey(this.defaultRoom);
      this.activeKey = this.all.has(defaultKey) ? defaultKey : (this.all.keys().next().value ?? null);
      if (this.active) this.active.unread = 0;
    }
  }

  activate(key) {
    if (!this.all.has(key)) return;
    this.activeKey = key;
    this.active.unread = 0;
    this.active.mentioned = false;
  }

  /**
   * Adds an entry to a conversation; counts it as unread when that is not the one in view.
   * Returns false for a history line already shown (a room's history replayed after a reconnect).
   */
  add(conversation, entry) {
    if (entry.history) {
      const seen = entry.time + '\n' + entry.text;
      if (conversation.seenHistory.has(seen)) return false;
      conversation.seenHistory.add(seen);
    }
    conversation.lines.push(entry);
    if (conversation.lines.length > MAX_LINES) conversation.lines.shift();
    if (conversation.key !== this.activeKey && entry.counts) {
      conversation.unread += 1;
      if (entry.mention) conversation.mentioned = true;
    }
    return true;
  }

  rooms() {
    return [...this.all.values()].filter(c => c.kind === 'room');
  }

  /** Every name known: members of every room and private partners, for completion. */
  knownNames() {
    const names = new Map();
    for (const conversation of this.all.values()) {
      for (const [key, name] of conversation.members) names.set(key, name);
    }
    return [...names.values()];
  }
}

/** Whether text mentions name as a word, ignoring case. */
export function mentions(text, name) {
  if (!name) return false;
  const escaped = name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_.-])${escaped}($|[^A-Za-z0-9_-])`, 'i').test(text);
}

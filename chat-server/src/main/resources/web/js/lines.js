// Every line the server sends, parsed by the grammar of docs/protocol.md: a client never guesses.
// A line outside the grammar (from a newer server) comes back as {kind: 'unknown'} and is shown as it is.

const NAME = '[A-Za-z0-9_.-]{1,20}';
const ROOM = '#[A-Za-z0-9_.-]{1,30}';
const FINGERPRINT = '(?:[0-9A-F]{2}:){31}[0-9A-F]{2}';

const STAMP = /^\[(\d{2}:\d{2}:\d{2})\] (.*)$/s;
const LONG_STAMP = /^\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\] \[history\] (.*)$/s;
const IN_ROOM = new RegExp(`^(${ROOM}) (.*)$`, 's');

const EVENTS = [
  [/^Enter your name:$/, () => ({kind: 'name-prompt'})],
  [/^This server needs a password: send \/pass PASSWORD$/, () => ({kind: 'password-prompt'})],
  [new RegExp(`^Welcome, (${NAME})!$`), m => ({kind: 'welcome', name: m[1]})],
  [new RegExp(`^Default room: (${ROOM})$`), m => ({kind: 'default-room', defaultRoom: m[1]})],
  [new RegExp(`^(${NAME}) joined$`), m => ({kind: 'joined', name: m[1]})],
  [new RegExp(`^(${NAME}) left \\((.*)\\)$`, 's'), m => ({kind: 'left', name: m[1], reason: m[2]})],
  [/^Online \((\d+)\): ?(.*)$/s, m => ({kind: 'online', names: m[2] === '' ? [] : m[2].split(', ')})],
  [new RegExp(`^(${NAME}) is now known as (${NAME})$`), m => ({kind: 'nick', name: m[1], newName: m[2]})],
  [/^Topic: (.*)$/s, m => ({kind: 'topic', topic: m[1]})],
  [/^No topic$/, () => ({kind: 'topic', topic: ''})],
  [new RegExp(`^(${NAME}) set the topic: (.*)$`, 's'), m => ({kind: 'topic-set', name: m[1], topic: m[2]})],
  [new RegExp(`^(${NAME}) cleared the topic$`), m => ({kind: 'topic-set', name: m[1], topic: ''})],
  [new RegExp(`^(${NAME}) is away: (.*)$`, 's'), m => ({kind: 'away', name: m[1], text: m[2]})],
  [/^Rooms \((\d+)\):$/, m => ({kind: 'room-list', count: Number(m[1])})],
  [new RegExp(`^Room (${ROOM}) \\((\\d+)\\)(?:: (.*))?$`, 's'),
    m => ({kind: 'room-entry', entryRoom: m[1], members: Number(m[2]), topic: m[3] ?? ''})],
  [new RegExp(`^Announcement from (${NAME}): (.*)$`, 's'), m => ({kind: 'wall', name: m[1], text: m[2]})],
  [/^Goodbye!$/, () => ({kind: 'goodbye'})],
  [/^Server is shutting down\.$/, () => ({kind: 'shutting-down'})],
  [/^Key challenge: ([A-Za-z0-9_-]{43})$/, m => ({kind: 'key-challenge', challenge: m[1]})],
  [new RegExp(`^Registered (${NAME}) to key (${FINGERPRINT})$`),
    m => ({kind: 'registered', name: m[1], fingerprint: m[2]})],
  [new RegExp(`^Published key (${FINGERPRINT}) for (${NAME})$`),
    m => ({kind: 'published', fingerprint: m[1], name: m[2]})],
  [new RegExp(`^(${NAME}) is no longer registered$`), m => ({kind: 'unregistered', name: m[1]})],
  [new RegExp(`^Key of (${NAME}): (chatkey1:[A-Za-z0-9_-]{86})$`), m => ({kind: 'key', name: m[1], token: m[2]})],
  [new RegExp(`^(${NAME}) has no key$`), m => ({kind: 'no-key', name: m[1]})],
];

const BODIES = [
  [new RegExp(`^\\* (${NAME}) (.*)$`, 's'), m => ({kind: 'action', name: m[1], text: m[2]})],
  [new RegExp(`^\\[PM\\] (${NAME}): (.*)$`, 's'), m => ({kind: 'pm', name: m[1], text: m[2]})],
  [new RegExp(`^\\[PM to (${NAME})\\] (.*)$`, 's'), m => ({kind: 'pm-sent', name: m[1], text: m[2]})],
  [/^--- (.*)$/s, m => ({kind: 'info', text: m[1]})],
  [/^!!! ([a-z-]+): (.*)$/s, m => ({kind: 'error', code: m[1], text: m[2]})],
  [new RegExp(`^(${NAME}): (.*)$`, 's'), m => ({kind: 'chat', name: m[1], text: m[2]})],
];

function parseBody(body) {
  if (body.startsWith('*** ')) {
    const event = body.slice(4);
    for (const [pattern, make] of EVENTS) {
      const m = pattern.exec(event);
      if (m) return make(m);
    }
    return null;
  }
  for (const [pattern, make] of BODIES) {
    const m = pattern.exec(body);
    if (m) return make(m);
  }
  return null;
}

/**
 * Parses one line (without its LF). The result has kind, time (the server's stamp as sent),
 * room (null for the default room), history (true for a replayed line), body (the line
 * without stamp and room) and the fields of its kind.
 */
export function parseLine(raw) {
  let time;
  let rest;
  let history = false;
  let m = LONG_STAMP.exec(raw);
  if (m) {
    [, time, rest] = m;
    history = true;
  } else if ((m = STAMP.exec(raw))) {
    [, time, rest] = m;
  } else {
    return {kind: 'unknown', raw, time: '', room: null, history: false, body: raw};
  }
  let room = null;
  const inRoom = IN_ROOM.exec(rest);
  if (inRoom) {
    [, room, rest] = inRoom;
  }
  const parsed = parseBody(rest);
  if (!parsed || (history && parsed.kind !== 'chat' && parsed.kind !== 'action')) {
    return {kind: 'unknown', raw, time, room: null, history: false, body: raw};
  }
  return {...parsed, time, room, history, body: rest, raw};
}

/** Names compare ignoring case, as on the server. */
export function nameKey(name) {
  return name.toLowerCase();
}

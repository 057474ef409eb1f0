// The page: wires the session (the WebSocket), the conversations (what is shown), the keys and
// private messages, and the DOM.

import {ChatSession} from './session.js';
import {KnownKeys, loadIdentity} from './keystore.js';
import {PrivateMessages} from './privatemessages.js';
import {Conversations, mentions} from './conversations.js';
import {Completer, InputHistory} from './completion.js';
import {nameKey} from './lines.js';

const $ = id => document.getElementById(id);
const model = new Conversations();
const history = new InputHistory();
let expectingDefaultMembers = false;
let pendingActivation = null;
let greeting = [];

/**
 * The user's keys, made on first use and kept in this browser, and the certificate fingerprint
 * that signatures cover here; null when this browser cannot make or keep keys (keyProblem says why).
 */
let keyProblem = null;
const keys = (async () => {
  try {
    const [identity, binding] = await Promise.all([loadIdentity(),
      // A server without the answer (or none reached) is taken to bind signatures to no certificate.
      fetch('/key-binding', {cache: 'no-store'}).then(answer => answer.ok ? answer.text() : '', () => '')]);
    return {identity, binding: binding.trim() || null};
  } catch (e) {
    keyProblem = e.message || String(e);
    return null;
  }
})();
const knownKeys = new KnownKeys();
/** Made once the keys are known, before the first sign-on. */
let privateMessages = null;

async function signChallenge(challenge, name) {
  const ready = await keys;
  return ready ? ready.identity.signChallenge(challenge, name, ready.binding) : null;
}

const session = new ChatSession({
  // Each line handled after the one before, private messages (which take a moment to open) included.
  line: line => privateMessages.later(() => route(line)),
  signedOn(name, firstTime) {
    privateMessages.later(() => signedOn(name, firstTime));
  },
  state(state, detail) {
    const status = $('status');
    $('reconnect-now').hidden = state !== 'waiting';
    if ((state === 'waiting' || state === 'ended') && privateMessages) privateMessages.ended();
    status.dataset.state = state;
    if (state === 'connecting') status.textContent = 'Connecting…';
    if (state === 'online') status.textContent = `Online as ${session.name}`;
    if (state === 'waiting') {
      if (status.dataset.lost !== 'shown') {
        note([...model.all.values()], 'Connection lost; what is shown stays. Reconnecting…');
        status.dataset.lost = 'shown';
      }
      status.textContent = `Connection lost. Reconnecting in ${detail} s`;
    } else {
      status.dataset.lost = '';
    }
    if (state === 'ended') {
      status.textContent = 'Disconnected';
      note([...model.all.values()], detail);
      $('leave').hidden = true;
      $('connect-again').hidden = false;
    }
  },
  refused(error) {
    privateMessages?.ended();
    if (!$('chat-view').hidden && error.code !== 'unreachable') {
      note([...model.all.values()], `Could not sign on again: ${error.text}`);
      $('status').textContent = 'Disconnected';
      $('connect-again').hidden = false;
      return;
    }
    $('chat-view').hidden = true;
    $('connect-view').hidden = false;
    $('connect').disabled = false;
    const message = error.code === 'password-required' || error.code === 'password-wrong'
      ? `${error.text}. Enter the server's password.` : error.text;
    $('connect-error').textContent = message.charAt(0).toUpperCase() + message.slice(1);
    (error.code.startsWith('password') ? $('password') : $('name')).focus();
  },
}, signChallenge);

/** The welcome came: the chat shows, the key is published, and after a reconnect the rooms are joined again. */
function signedOn(name, firstTime) {
  model.me = name;
  expectingDefaultMembers = true;
  privateMessages.signedOn();
  publishKey(name);
  if (firstTime) {
    $('connect-view').hidden = true;
    $('chat-view').hidden = false;
    $('input').focus();
    if (keyProblem) {
      note(model.rooms(), `This browser cannot make or keep keys (${keyProblem}): private messages go unencrypted.`);
    }
  } else {
    note(model.rooms(), 'Connected again.');
    for (const room of model.rooms()) {
      if (model.defaultRoom && room.key !== Conversations.roomKey(model.defaultRoom)) {
        session.send(`/join ${room.title}`);
      }
    }
  }
  render();
}

/** Publishes the page's key for name, so that others can seal their messages to the user. */
async function publishKey(name) {
  const ready = await keys;
  if (!ready || !session.challenge) return;
  session.send(`/publish ${ready.identity.publicKeys.token} ${await signChallenge(session.challenge, name)}`);
}

/** Registers the user's name to the page's key: /register KEY SIGNATURE. */
async function registerName() {
  const ready = await keys;
  if (!ready) return `This browser has no keys to register a name to (${keyProblem}).`;
  if (!session.challenge) return 'The server sent no key challenge: it does not register names.';
  const signature = await signChallenge(session.challenge, model.me);
  return session.send(`/register ${ready.identity.publicKeys.token} ${signature}`) ? null : 'Not connected.';
}

/** What the private messages tell the page. */
function told(event) {
  if (event.kind === 'line') {
    const pm = event.line;
    const conversation = model.pm(pm.name);
    const from = pm.kind === 'pm' ? pm.name : model.me;
    add(conversation, pm, {cls: 'chat', name: from, text: event.text, mark: event.privacy, counts: pm.kind === 'pm'});
    if (pm.kind === 'pm') notify(`${pm.name} (private)`, event.text, conversation);
  } else {
    const conversation = event.name ? model.pm(event.name) : model.active;
    const time = clock();
    if (conversation) {
      add(conversation, {time, history: false}, {cls: event.kind === 'key-changed' ? 'key-changed' : 'notice',
        text: event.text, counts: event.kind === 'key-changed'});
    }
    if (event.kind === 'key-changed' && model.active && model.active !== conversation) {
      add(model.active, {time, history: false}, {cls: 'key-changed', text: event.text});
    }
  }
  render();
}

// --- Lines from the server --------------------------------------------------------------

async function route(line) {
  if (!model.me) {
    if (line.kind === 'info' || line.kind === 'unknown') greeting.push(line);
    return;
  }
  if (await privateMessages.take(line)) {
    render();
    return;
  }
  const roomName = line.room ?? model.defaultRoom;
  switch (line.kind) {
    case 'default-room': {
      model.defaultRoom = line.defaultRoom;
      const conversation = model.room(line.defaultRoom);
      if (!model.activeKey) model.activate(conversation.key);
      for (const info of greeting) add(conversation, info, {cls: 'info', text: info.body.replace(/^--- /, '')});
      greeting = [];
      break;
    }
    case 'chat':
    case 'action': {
      const conversation = model.room(roomName);
      const own = nameKey(line.name) === nameKey(model.me);
      const mention = !own && !line.history && mentions(line.text, model.me);
      add(conversation, line, {cls: line.kind, name: line.name, text: line.text, mention, counts: !line.history});
      if (mention) notify(`${line.name} in ${conversation.title}`, line.text, conversation);
      break;
    }
    case 'joined': {
      const isMe = nameKey(line.name) === nameKey(model.me);
      const conversation = model.room(roomName);
      conversation.members.set(nameKey(line.name), line.name);
      if (isMe && pendingActivation && Conversations.roomKey(roomName) === pendingActivation) {
        model.activate(conversation.key);
        pendingActivation = null;
      }
      add(conversation, line, {cls: 'event', text: `${line.name} joined`});
      break;
    }
    case 'left': {
      const key = Conversations.roomKey(roomName);
      const conversation = model.all.get(key);
      if (!conversation) break;
      if (nameKey(line.name) === nameKey(model.me)) {
        model.remove(key);
      } else {
        conversation.members.delete(nameKey(line.name));
        add(conversation, line, {cls: 'event', text: `${line.name} left (${line.reason})`});
      }
      break;
    }
    case 'online': {
      if (line.room) {
        const conversation = model.room(line.room);
        conversation.members = new Map(line.names.map(name => [nameKey(name), name]));
      } else if (expectingDefaultMembers) {
        expectingDefaultMembers = false;
        model.room(model.defaultRoom).members = new Map(line.names.map(name => [nameKey(name), name]));
      } else {
        inView(line, `Online (${line.names.length}): ${line.names.join(', ')}`);
      }
      break;
    }
    case 'nick': {
      for (const conversation of model.all.values()) {
        if (conversation.kind === 'room' && conversation.members.delete(nameKey(line.name))) {
          conversation.members.set(nameKey(line.newName), line.newName);
          add(conversation, line, {cls: 'event', text: `${line.name} is now known as ${line.newName}`});
        }
      }
      if (nameKey(line.name) === nameKey(model.me)) {
        model.me = line.newName;
        publishKey(line.newName);
      }
      const pm = model.all.get(Conversations.pmKey(line.name));
      if (pm && nameKey(line.name) !== nameKey(line.newName)) {
        model.all.delete(pm.key);
        const renamed = model.pm(line.newName);
        renamed.lines = pm.lines;
        renamed.unread = pm.unread;
        if (model.activeKey === pm.key) model.activeKey = renamed.key;
      }
      $('status').textContent = `Online as ${model.me}`;
      break;
    }
    case 'topic': {
      const conversation = model.room(roomName);
      conversation.topic = line.topic;
      add(conversation, line, {cls: 'event', text: line.topic ? `Topic: ${line.topic}` : 'No topic'});
      break;
    }
    case 'topic-set': {
      const conversation = model.room(roomName);
      conversation.topic = line.topic;
      add(conversation, line, {cls: 'event',
        text: line.topic ? `${line.name} set the topic: ${line.topic}` : `${line.name} cleared the topic`});
      break;
    }
    case 'wall':
      for (const conversation of model.rooms()) {
        add(conversation, line, {cls: 'wall', text: `Announcement from ${line.name}: ${line.text}`, counts: true});
      }
      break;
    case 'goodbye':
    case 'shutting-down':
      note([...model.all.values()], line.kind === 'goodbye' ? 'Goodbye!' : 'The server is shutting down.', line.time);
      break;
    case 'error':
      inView(line, `${line.code}: ${line.text}`, 'error');
      break;
    case 'info':
      inView(line, line.text, 'info');
      break;
    default:
      inView(line, line.body.replace(/^\*\*\* /, ''), line.kind === 'unknown' ? 'unknown' : 'event');
  }
  render();
}

/** Shows a line in the conversation in view (answers to commands go where they were asked). */
function inView(line, text, cls = 'event') {
  const conversation = model.active ?? (model.defaultRoom && model.room(model.defaultRoom));
  if (conversation) add(conversation, line, {cls, text});
}

function add(conversation, line, entry) {
  const full = {time: line.time, history: line.history, counts: false, ...entry};
  if (model.add(conversation, full) && conversation.key === model.activeKey) appendLine(full);
}

/** A line of the page's own (not the server's) in each of conversations. */
function note(conversations, text, time = clock()) {
  for (const conversation of conversations) add(conversation, {time, history: false}, {cls: 'local', text});
  render();
}

function clock() {
  return new Date().toTimeString().slice(0, 8);
}

// --- Drawing ------------------------------------------------------------------------------

/** A stable hue for a name, so that each name keeps its colour. */
function hue(name) {
  let h = 0;
  for (const c of nameKey(name)) h = (h * 31 + c.codePointAt(0)) % 360;
  return h;
}

function lineElement(entry) {
  const li = document.createElement('li');
  li.className = `line ${entry.cls}` + (entry.history ? ' history' : '') + (entry.mention ? ' mention' : '');
  const time = document.createElement('time');
  time.textContent = entry.time;
  li.append(time, ' ');
  if (entry.action) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'line-action';
    button.textContent = entry.action.label;
    button.addEventListener('click', () => {
      button.disabled = true;
      entry.action.run();
    }, {once: true});
    li.append(button, ' ');
  }
  if (entry.history) {
    const tag = document.createElement('span');
    tag.className = 'tag';
    tag.textContent = 'history';
    li.append(tag, ' ');
  }
  if (entry.mark) {
    const mark = document.createElement('span');
    mark.className = 'mark ' + (entry.mark.startsWith('[sealed') ? 'sealed' : 'plain');
    mark.textContent = entry.mark;
    li.append(mark, ' ');
  }
  if (entry.name) {
    const name = document.createElement('span');
    name.className = 'name';
    name.style.setProperty('--hue', hue(entry.name));
    name.textContent = entry.cls === 'action' ? `* ${entry.name}` : entry.name;
    li.append(name, entry.cls === 'action' ? ' ' : ': ');
  }
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = entry.text;
  li.append(text);
  return li;
}

function appendLine(entry) {
  const log = $('log');
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  log.append(lineElement(entry));
  if (atBottom) log.scrollTop = log.scrollHeight;
}

let drawnKey = null;
let drawnTabs = '';
let drawnMembers = '';

function render() {
  const active = model.active;
  drawTabs(active);
  if (!active) return;
  $('conversation').setAttribute('aria-labelledby', `tab-${active.key}`);
  $('title').textContent = active.kind === 'pm' ? `Private: ${active.title}` : active.title;
  $('topic').textContent = active.topic;
  $('topic').hidden = !active.topic;
  $('input').placeholder = `Message ${active.title}`;
  drawMembers(active);
  if (drawnKey !== active.key) {
    drawnKey = active.key;
    const log = $('log');
    log.replaceChildren(...active.lines.map(lineElement));
    log.scrollTop = log.scrollHeight;
  }
  const unread = [...model.all.values()].reduce((sum, c) => sum + c.unread, 0);
  document.title = (unread > 0 ? `(${unread}) ` : '') + `${active.title} – chat`;
}

/** Draws the tabs again when they changed; a tab that had the focus keeps it. */
function drawTabs(active) {
  const ordered = [...model.all.values()].sort((a, b) =>
    (a.kind === b.kind ? 0 : a.kind === 'room' ? -1 : 1) || a.title.localeCompare(b.title));
  const signature = JSON.stringify(ordered.map(c => [c.key, c.title, c.unread, c.mentioned, c === active]));
  if (signature === drawnTabs) return;
  drawnTabs = signature;
  const focused = document.activeElement?.closest?.('#tabs [role=tab]')?.dataset.conversation;
  const tabs = [];
  for (const conversation of ordered) {
    const tab = document.createElement('button');
    tab.type = 'button';
    tab.role = 'tab';
    tab.id = `tab-${conversation.key}`;
    tab.dataset.conversation = conversation.key;
    tab.className = 'tab' + (conversation.kind === 'pm' ? ' pm' : '') + (conversation.mentioned ? ' mentioned' : '');
    const selected = conversation === active;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    tab.setAttribute('aria-controls', 'conversation');
    const label = document.createElement('span');
    label.className = 'label';
    label.textContent = conversation.kind === 'pm' ? `@ ${conversation.title}` : conversation.title;
    tab.append(label);
    let accessible = conversation.kind === 'pm' ? `private conversation with ${conversation.title}` : conversation.title;
    if (conversation.unread > 0) {
      const badge = document.createElement('span');
      badge.className = 'unread';
      badge.textContent = String(conversation.unread);
      tab.append(badge);
      accessible += `, ${conversation.unread} unread`;
    }
    tab.setAttribute('aria-label', accessible);
    tabs.push(tab);
  }
  $('tabs').replaceChildren(...tabs);
  if (focused) $('tabs').querySelector(`[data-conversation="${CSS.escape(focused)}"]`)?.focus();
}

/** Draws the member list of the conversation in view again when it changed. */
function drawMembers(active) {
  const names = [...active.members.values()].sort((a, b) => a.localeCompare(b, undefined, {sensitivity: 'base'}));
  const signature = JSON.stringify(names);
  if (signature === drawnMembers) return;
  drawnMembers = signature;
  const members = $('members');
  members.replaceChildren();
  for (const name of names) {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'member';
    button.style.setProperty('--hue', hue(name));
    button.textContent = name;
    button.title = `Private conversation with ${name}`;
    button.dataset.name = name;
    li.append(button);
    members.append(li);
  }
  $('member-count').textContent = `(${names.length})`;
}

function show(key) {
  model.activate(key);
  drawnKey = null;
  render();
}

// --- Notifications ------------------------------------------------------------------------

function notify(title, body, conversation) {
  // Behind another tab the page is hidden; behind another window it is visible but has no focus.
  const seen = !document.hidden && document.hasFocus() && conversation.key === model.activeKey;
  if (seen || !('Notification' in window) || Notification.permission !== 'granted') return;
  const notification = new Notification(title, {body, tag: conversation.key});
  notification.onclick = () => {
    window.focus();
    show(conversation.key);
  };
}

function offerNotifications() {
  const button = $('notify');
  button.hidden = !('Notification' in window) || Notification.permission !== 'default';
  button.onclick = async () => {
    await Notification.requestPermission();
    button.hidden = true;
  };
}

// --- What the user does -------------------------------------------------------------------

/** The commands the page answers itself, about keys, as the Java clients do (ClientCommand). */
const CLIENT_COMMANDS = [
  ['/register', '', 'register your name to your key: from then on only you can sign on with it'],
  ['/verify', 'NAME', 'show the safety number to compare with NAME, and mark NAME verified if it matches'],
  ['/accept', 'NAME', "accept that NAME's key changed (or went) and send the messages that wait for it"],
];

/** /register, /verify NAME or /accept NAME, typed in active; false for any other line. */
function clientCommand(command, rest, active) {
  const known = CLIENT_COMMANDS.find(([word]) => word === command);
  if (!known || (command === '/register' && rest !== '')) return false;
  const [word, argument, description] = known;
  if (argument && !rest) {
    note([active], `Usage: ${word} ${argument} — ${description}`);
    return true;
  }
  const failed = e => note([active], `Not done: ${e.message}.`);
  if (command === '/register') {
    registerName().then(problem => problem && note([active], problem), failed);
  } else if (command === '/accept') {
    privateMessages.accept(rest.split(/\s+/)[0]).then(answer => answer && note([active], answer), failed);
  } else {
    privateMessages.verification(rest.split(/\s+/)[0]).then(verification => showVerification(active, verification), failed);
  }
  return true;
}

/** Shows a safety number and, when not verified yet, a button to mark the contact verified. */
function showVerification(conversation, {name, keys: theirKeys, number, verified}) {
  const groups = number.split(' ');
  note([conversation], `Safety number of you (${model.me}) and ${name}${verified ? ', verified before' : ''}:`);
  for (const half of [groups.slice(0, 6), groups.slice(6)]) {
    add(conversation, {time: clock(), history: false}, {cls: 'local safety-number', text: half.join(' ')});
  }
  note([conversation], `${name}'s client shows the same number for you when nobody sits in between.`
    + ' Compare it in person or on a call, not through this chat.');
  if (verified) return;
  add(conversation, {time: clock(), history: false}, {cls: 'local', text: '', action: {
    label: `It is the same number: mark ${name} verified`,
    run: () => knownKeys.markVerified(name, theirKeys).then(marked => note([conversation], marked
      ? `${name} is verified: their messages show [sealed, verified].`
      : `Not marked: ${name}'s pinned key changed meanwhile.`)),
  }});
  render();
}

function send(text) {
  const active = model.active;
  if (!active || text.trim() === '') return;
  history.push(text);
  const command = text.startsWith('/') && !text.startsWith('//') ? text.split(/\s+/, 1)[0].toLowerCase() : null;
  const rest = command ? text.slice(command.length).trim() : '';
  let line = text;
  if (command === '/quit') {
    session.quit();
    return;
  }
  if (clientCommand(command, rest, active)) return;
  if (command === '/msg') {
    const [, to, message] = /^\/msg\s+(\S+)\s*(.*)$/is.exec(text) ?? [];
    if (to && message && /^[A-Za-z0-9_.-]{1,20}$/.test(to)) {
      show(model.pm(to).key);
      privateMessages.send(to, message);
      return;
    }
  }
  if (active.kind === 'pm' && command === null) {
    privateMessages.send(active.title, text.startsWith('//') ? text.slice(1) : text);
    return;
  }
  if (command === '/help') {
    note([active], 'Commands of this page: ' + CLIENT_COMMANDS.map(([word, argument, description]) =>
      `${argument ? word + ' ' + argument : word} — ${description}`).join('; ') + '.');
  }
  if (active.kind === 'room') {
    if (command === null || command === '/me' || command === '/topic' && !rest.startsWith('#')) {
      line = `/in ${active.title} ${text}`;
    } else if (command === '/part' && rest === '') {
      line = `/part ${active.title}`;
    }
  }
  if (command === '/join' && rest) {
    pendingActivation = Conversations.roomKey(rest.split(/\s+/)[0]);
    const known = model.all.get(pendingActivation);
    if (known) {
      show(known.key);
      pendingActivation = null;
    }
  }
  if (!session.send(line)) note([active], 'Not connected: that line was not sent.');
}

const completer = new Completer($('input'), () => {
  const names = model.knownNames();
  if (model.me && !names.includes(model.me)) names.push(model.me);
  return names;
});

$('input').addEventListener('keydown', event => {
  if (event.key === 'Tab' && !event.shiftKey && !event.altKey && !event.ctrlKey) {
    if (completer.complete()) event.preventDefault();
    return;
  }
  completer.reset();
  if (event.key === 'ArrowUp') {
    const line = history.up(event.target.value);
    if (line !== null) {
      event.target.value = line;
      event.preventDefault();
    }
  } else if (event.key === 'ArrowDown') {
    const line = history.down();
    if (line !== null) {
      event.target.value = line;
      event.preventDefault();
    }
  }
});

$('say-form').addEventListener('submit', event => {
  event.preventDefault();
  const input = $('input');
  send(input.value);
  input.value = '';
});

$('tabs').addEventListener('click', event => {
  const tab = event.target.closest('[role=tab]');
  if (tab) show(tab.dataset.conversation);
});

$('tabs').addEventListener('keydown', event => {
  if (!['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
  const tabs = [...$('tabs').querySelectorAll('[role=tab]')];
  const index = tabs.indexOf(document.activeElement);
  if (index < 0) return;
  event.preventDefault();
  const forward = event.key === 'ArrowDown' || event.key === 'ArrowRight';
  const next = event.key === 'Home' ? 0 : event.key === 'End' ? tabs.length - 1
    : (index + (forward ? 1 : -1) + tabs.length) % tabs.length;
  show(tabs[next].dataset.conversation);
  $('tabs').querySelector(`[data-conversation="${CSS.escape(tabs[next].dataset.conversation)}"]`).focus();
});

$('members').addEventListener('click', event => {
  const member = event.target.closest('.member');
  if (member && nameKey(member.dataset.name) !== nameKey(model.me ?? '')) {
    show(model.pm(member.dataset.name).key);
    $('input').focus();
  }
});

$('join-form').addEventListener('submit', event => {
  event.preventDefault();
  let room = $('join-room').value.trim();
  if (!room) return;
  if (!room.startsWith('#')) room = '#' + room;
  send(`/join ${room}`);
  $('join-room').value = '';
});

$('members-toggle').addEventListener('click', () => {
  const open = document.body.classList.toggle('members-open');
  $('members-toggle').setAttribute('aria-expanded', String(open));
});

$('reconnect-now').addEventListener('click', () => session.reconnectNow());
$('leave').addEventListener('click', () => session.quit());
$('connect-again').addEventListener('click', () => {
  $('connect-again').hidden = true;
  $('leave').hidden = false;
  session.start(session.name, $('password').value);
});

$('connect-form').addEventListener('submit', async event => {
  event.preventDefault();
  const name = $('name').value.trim();
  if (!name) return;
  $('connect-error').textContent = '';
  $('connect').disabled = true;
  const ready = await keys;
  privateMessages ??= new PrivateMessages(ready?.identity ?? null, knownKeys, () => model.me,
    line => session.send(line), told);
  model.me = null;
  greeting = [];
  try {
    localStorage.setItem('chat.name', name);
  } catch (e) {
    // Storage may be off; the name is only a convenience.
  }
  session.start(name, $('password').value);
});

try {
  $('name').value = localStorage.getItem('chat.name') ?? '';
} catch (e) {
  // Storage may be off.
}
offerNotifications();
$('name').focus();

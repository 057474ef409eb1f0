// Tab completion of names and commands, and the input's history (Up and Down), for one text field.

export const COMMANDS = ['/msg', '/me', '/join', '/part', '/in', '/rooms', '/topic', '/who', '/nick', '/away',
  '/help', '/quit', '/oper', '/kick', '/ban', '/unban', '/bans', '/wall', '/pass', '/register', '/verify', '/accept',
  '/unregister', '/key'];

/**
 * Completes the word before the caret of input: a command at the start of the line, else a
 * name from names(); a name at the start of the line gets ': '. Pressing Tab again goes to
 * the next candidate. Returns whether something was completed.
 */
export class Completer {
  constructor(input, names) {
    this.input = input;
    this.names = names;
    this.cycle = null;
  }

  /** Forgets the candidates: the user typed something else. */
  reset() {
    this.cycle = null;
  }

  complete() {
    const input = this.input;
    if (!this.cycle) {
      const caret = input.selectionStart ?? input.value.length;
      const before = input.value.slice(0, caret);
      const start = before.search(/\S*$/);
      const word = before.slice(start);
      if (word === '') return false;
      const atStart = before.slice(0, start).trim() === '';
      const pool = atStart && word.startsWith('/') ? COMMANDS : this.names();
      const prefix = word.toLowerCase();
      const candidates = pool.filter(c => c.toLowerCase().startsWith(prefix))
        .sort((a, b) => a.localeCompare(b, undefined, {sensitivity: 'base'}));
      if (candidates.length === 0) return false;
      this.cycle = {start, end: caret, after: input.value.slice(caret), candidates, index: -1,
        suffix: atStart && !word.startsWith('/') ? ': ' : ' '};
    }
    const cycle = this.cycle;
    cycle.index = (cycle.index + 1) % cycle.candidates.length;
    const head = input.value.slice(0, cycle.start) + cycle.candidates[cycle.index] + cycle.suffix;
    input.value = head + cycle.after;
    input.setSelectionRange(head.length, head.length);
    return true;
  }
}

/** The lines sent, for Up and Down; what was being typed comes back after the newest. */
export class InputHistory {
  constructor(limit = 200) {
    this.lines = [];
    this.limit = limit;
    this.position = 0;
    this.draft = '';
  }

  push(line) {
    if (line && this.lines[this.lines.length - 1] !== line) this.lines.push(line);
    if (this.lines.length > this.limit) this.lines.shift();
    this.position = this.lines.length;
    this.draft = '';
  }

  /** The line before, or null at the oldest. */
  up(current) {
    if (this.position === 0) return null;
    if (this.position === this.lines.length) this.draft = current;
    this.position -= 1;
    return this.lines[this.position];
  }

  /** The line after, the draft after the newest, or null when already there. */
  down() {
    if (this.position >= this.lines.length) return null;
    this.position += 1;
    return this.position === this.lines.length ? this.draft : this.lines[this.position];
  }
}

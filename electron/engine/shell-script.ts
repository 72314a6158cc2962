// Shell scripts built so that no value can turn into shell syntax. Every value put into
// a script through the `sh` tagged template becomes one quoted word; text goes in as
// shell syntax only when it is marked with raw() (or is itself a fragment built by sh).
// The template also refuses a value placed inside quotes or a comment, where quoting
// cannot protect it, so a mistake in a script fails the first time it is built, in a
// unit test, rather than on someone's machine.

/** Words the shell reads as themselves: no quoting needed, and none added (scripts stay readable). */
const PLAIN_WORD = /^[A-Za-z0-9_./:=@%+,-]+$/;

/** Quotes one word for sh: whatever it holds, the shell reads it back as exactly that one word. */
export function shellQuote(word: string): string {
  return PLAIN_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

declare const fragmentMark: unique symbol;
/** Shell text that is syntax, not a value: only sh`` and raw() make one (a WeakSet vouches for it). */
export interface ShellFragment {
  readonly text: string;
  readonly [fragmentMark]: true;
}

const madeHere = new WeakSet<object>();

function fragment(text: string): ShellFragment {
  const made = Object.freeze({ text, toString: () => text });
  madeHere.add(made);
  return made as unknown as ShellFragment;
}

function isFragment(value: unknown): value is ShellFragment {
  return typeof value === 'object' && value !== null && madeHere.has(value);
}

/** A value the template quotes, a fragment it puts in as it is, or a list of them as separate words. */
export type ShellValue = string | number | ShellFragment;
export type ShellArgument = ShellValue | readonly ShellValue[];

/**
 * Marks trusted text (written in this code base, never from a lab file, a label or an
 * engine) as shell syntax. The only way around quoting; keep it to constants.
 */
export function raw(text: string): ShellFragment {
  return fragment(text);
}

/**
 * A fragment of shell: each interpolated value becomes one quoted word (a list becomes
 * one quoted word per item), fragments go in as they are. Throws if a value would sit
 * inside quotes or a comment, or if the fragment leaves a quote open.
 */
export function sh(strings: TemplateStringsArray, ...values: ShellArgument[]): ShellFragment {
  const scanner = new QuoteScanner();
  let text = '';
  strings.forEach((literal, index) => {
    scanner.scan(literal);
    text += literal;
    if (index >= values.length) return;
    const value = values[index] as ShellArgument;
    if (!scanner.atPlainWord()) {
      throw new Error(`sh: a value may not go inside quotes or a comment; it would not be one inert word (after ${JSON.stringify(text.slice(-40))})`);
    }
    const piece = Array.isArray(value) ? (value as readonly ShellValue[]).map(word).join(' ') : word(value as ShellValue);
    scanner.scan(piece);
    text += piece;
  });
  if (!scanner.balanced()) throw new Error(`sh: the fragment leaves a quote or a $( open: ${JSON.stringify(text.slice(-60))}`);
  return fragment(text);
}

/** A whole script: its lines, one after the other. */
export function script(...lines: (ShellFragment | readonly ShellFragment[])[]): string {
  return lines.flat().map((line) => fragmentText(line)).join('\n');
}

function word(value: ShellValue): string {
  if (isFragment(value)) return value.text;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`sh: ${value} is not a number a script can use`);
    return shellQuote(String(value));
  }
  if (typeof value === 'string') {
    // sh cuts a word at a NUL byte: what the command got would not be the value.
    if (value.includes('\0')) throw new Error('sh: a value holds a NUL byte, which no shell word can carry');
    return shellQuote(value);
  }
  throw new Error(`sh: a ${typeof value} is neither text, a number nor a shell fragment`);
}

function fragmentText(line: unknown): string {
  if (isFragment(line)) return line.text;
  throw new Error('script: every line must be a fragment made by sh`` or raw()');
}

type Mode = 'plain' | 'single' | 'double' | 'comment';

/**
 * Follows sh's quoting through text written so far, closely enough for the scripts of
 * this code base: quotes, backslashes, comments and $( ) nesting (inside double quotes too).
 */
class QuoteScanner {
  private mode: Mode = 'plain';
  /** The mode to return to when a `)` closes a `$(` or `(`. */
  private readonly returns: Mode[] = [];
  private previous = '\n';

  scan(text: string): void {
    for (let index = 0; index < text.length; index++) {
      const char = text[index] as string;
      const next = text[index + 1];
      switch (this.mode) {
        case 'single':
          if (char === "'") this.mode = 'plain';
          break;
        case 'comment':
          if (char === '\n') this.mode = 'plain';
          break;
        case 'double':
          if (char === '\\') index++;
          else if (char === '"') this.mode = 'plain';
          else if (char === '$' && next === '(') {
            this.returns.push('double');
            this.mode = 'plain';
            index++;
          }
          break;
        case 'plain':
          if (char === '\\') index++;
          else if (char === "'") this.mode = 'single';
          else if (char === '"') this.mode = 'double';
          else if (char === '#' && /[\s;&|()]/.test(this.previous)) this.mode = 'comment';
          else if (char === '(') this.returns.push('plain');
          else if (char === ')' && this.returns.length > 0) this.mode = this.returns.pop() as Mode;
          break;
      }
      this.previous = char;
    }
  }

  atPlainWord(): boolean {
    return this.mode === 'plain';
  }

  balanced(): boolean {
    return (this.mode === 'plain' || this.mode === 'comment') && this.returns.length === 0;
  }
}

/**
 * Sends SIGHUP to every process of the node whose environment holds `marker` (VAR=value),
 * as closing a terminal does. Docker leaves an exec running when its client goes away;
 * a marker set in the exec's environment is how vxlab finds what it started.
 */
export function hangUpMarked(marker: string): ShellFragment {
  return sh`for p in /proc/[0-9]*; do
  if tr '\\0' '\\n' < "$p/environ" 2>/dev/null | grep -qx ${marker}; then kill -HUP "\${p#/proc/}" 2>/dev/null; fi
done`;
}

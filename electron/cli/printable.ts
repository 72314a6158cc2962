// Text from outside (a lab file, a Docker label, an engine or Docker message) is printed
// on someone's terminal, where an escape sequence in a title would clear the screen,
// recolour it or retitle the window. Every such value goes through `printable` first:
// control characters become visible escapes (\x1b, \u202e) and do nothing.

/**
 * C0 controls and DEL, C1 controls, and the Unicode controls that reorder or hide text
 * (bidi embeddings, overrides and isolates; line and paragraph separators).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same, but keeping line breaks and tabs: for multi-line text such as a lab file. */
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(character: string): string {
  const code = character.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` safe to print on one line: every control character shown as \xNN or \uNNNN. */
export function printable(text: string | number | undefined | null): string {
  return String(text ?? '').replace(CONTROL, visible);
}

/** Like `printable`, but newlines and tabs stay: for text of several lines (a lab file, an error with its hint). */
export function printableLines(text: string): string {
  return text.replace(CONTROL_BUT_LINES, visible);
}

// How big a lab may be, and how much a bad one may make us say. A lab file is untrusted
// input: these bounds are checked before any other work, so reading, validating and
// showing problems stays linear and small whatever the file holds.
//
// The counts fit one machine of two cores: every host is a Docker-in-Docker container
// running its own dockerd (tens of MB and a few seconds to start each), every container
// a process in one of them. Far larger labs would not come up on such a machine anyway.

import type { Problem } from './model.js';

/** Lab file size, in bytes of UTF-8. */
export const MAX_LAB_FILE_BYTES = 1024 * 1024;
/** Nesting of YAML mappings and lists; a lab needs 5 (containers[].interfaces[].ip), layout a few more. */
export const MAX_YAML_DEPTH = 32;
/**
 * Lexical tokens of YAML (keys, values, punctuation, spaces, comments). A lab at every count
 * limit below, laid out, is about 35,000; parsing costs per token, so this bounds the time
 * (about 0.15 s of one core at the limit).
 */
export const MAX_YAML_TOKENS = 60_000;
export const MAX_HOSTS = 32;
export const MAX_CONTAINERS = 256;
export const MAX_OVERLAYS = 64;
/** A container has at most one interface per overlay; this bounds it below MAX_OVERLAYS. */
export const MAX_INTERFACES_PER_CONTAINER = 16;
export const MAX_INTERFACES = 1024;

/** Problems reported for one file; the rest are counted in one last problem. */
export const MAX_PROBLEMS = 100;
/** Names a message offers as alternatives ("use one of a, b, c … and 37 more"). */
export const MAX_ALTERNATIVES = 5;

/** "a, b, c, d, e and 37 more": the first MAX_ALTERNATIVES of `total` names, read no further. */
export function listSome(names: Iterable<string>, total: number, max = MAX_ALTERNATIVES): string {
  const shown: string[] = [];
  for (const name of names) {
    if (shown.length >= max) break;
    shown.push(name);
  }
  return total > shown.length ? `${shown.join(', ')} and ${total - shown.length} more` : shown.join(', ');
}

/**
 * At most MAX_PROBLEMS problems, then one that counts the rest: a huge bad file makes a short
 * answer. `total` is how many there are when the caller made only the first ones.
 */
export function capProblems(problems: Problem[], total = problems.length): Problem[] {
  if (total <= MAX_PROBLEMS) return problems;
  const rest = total - MAX_PROBLEMS;
  return [
    ...problems.slice(0, MAX_PROBLEMS),
    { code: 'more-problems', path: '', message: `… and ${rest} more problem${rest === 1 ? '' : 's'} not shown: fix the ones above and validate again` },
  ];
}

/** UTF-8 length of `text` without allocating an encoded copy. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      // A surrogate pair is one code point of four bytes.
      bytes += 4;
      index++;
    } else bytes += 3;
  }
  return bytes;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

// Objectives (issue 8 §1): a guided lab's steps. Every check runs commands in the lab's
// nodes, so the counts and lengths also bound the work one `vxlab check` can cause.
export const MAX_OBJECTIVE_STEPS = 32;
export const MAX_CHECKS_PER_STEP = 16;
/** Commands in one step's setup, and in its solution. */
export const MAX_COMMANDS_PER_STEP = 16;
/** Characters of one command an author asks a node to run. */
export const MAX_COMMAND_LENGTH = 1000;
/** Characters of a step's explanation (Markdown). */
export const MAX_EXPLANATION_LENGTH = 20_000;
/** Characters of an author's pass or fail message, and of a step's title. */
export const MAX_MESSAGE_LENGTH = 300;
/** Characters of a command check's output pattern. */
export const MAX_PATTERN_LENGTH = 200;
export const MAX_CHECK_TIMEOUT_SECONDS = 60;
export const MAX_CHECK_RETRIES = 10;

// What `vxlab link` is asked to do to one link, read from the words a person typed:
// "5%", "10mbit", "50ms". Pure: no Node, no shell. Every value is checked here, where it
// enters, against bounds that keep the kernel's work sane, and comes out as a number in
// one unit (fraction, bits per second, microseconds), so nothing typed reaches a script.

/** A value or a combination `vxlab link` refuses: names the option and how to write it. */
export class LinkSpecError extends Error {
  override readonly name = 'LinkSpecError';
}

/** Faults a link may carry at once; `undefined` leaves that fault off. */
export interface LinkFaults {
  /** Share of packets dropped, 0 < loss <= 1. */
  loss?: number;
  /** Bits per second. */
  rateBitsPerSecond?: number;
  delayMicroseconds?: number;
  jitterMicroseconds?: number;
}

export type LinkRequest =
  | { kind: 'show' }
  | { kind: 'set'; faults: LinkFaults }
  | { kind: 'down' }
  | { kind: 'up' }
  | { kind: 'clear' };

/** The options as typed (strings from the command line; flags as booleans). */
export interface LinkOptionsText {
  loss?: string;
  rate?: string;
  delay?: string;
  jitter?: string;
  down?: boolean;
  up?: boolean;
  clear?: boolean;
}

export const MIN_RATE_BITS = 8_000;
export const MAX_RATE_BITS = 10_000_000_000;
/** Ten seconds: a delay longer than that is a dead link, which --down says better. */
export const MAX_DELAY_MICROSECONDS = 10_000_000;
/** Longest text a value may be: bounds the parsing of anything typed. */
const MAX_VALUE_LENGTH = 32;

const RATE_UNITS: Record<string, number> = { bit: 1, kbit: 1e3, mbit: 1e6, gbit: 1e9, bps: 8, kbps: 8e3, mbps: 8e6, gbps: 8e9 };
const TIME_UNITS: Record<string, number> = { us: 1, ms: 1e3, s: 1e6 };

function shown(text: string): string {
  return JSON.stringify(text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}…` : text);
}

function number(option: string, text: string, example: string): { value: number; unit: string } {
  const match = text.length <= MAX_VALUE_LENGTH ? /^(\d+(?:\.\d+)?)\s*([a-zA-Z%]*)$/.exec(text.trim()) : null;
  if (!match) throw new LinkSpecError(`--${option} ${shown(text)} is not a number with a unit. Write it like --${option} ${example}.`);
  return { value: Number(match[1]), unit: (match[2] ?? '').toLowerCase() };
}

/** "5%" or "0.5%": the share of packets dropped, as a fraction. */
export function parseLoss(text: string): number {
  const { value, unit } = number('loss', text, '5%');
  if (unit !== '%') throw new LinkSpecError(`--loss ${shown(text)} needs a percent sign. Write it like --loss 5%.`);
  if (!(value > 0 && value <= 100)) throw new LinkSpecError(`--loss ${shown(text)} is out of range: give more than 0% and at most 100% (--clear removes the loss).`);
  return value / 100;
}

/** "10mbit", "512kbit", "1gbit" (tc's units; kbps and friends are bytes per second): bits per second. */
export function parseRate(text: string): number {
  const { value, unit } = number('rate', text, '10mbit');
  const scale = RATE_UNITS[unit];
  if (scale === undefined) throw new LinkSpecError(`--rate ${shown(text)} has no known unit. Use bit, kbit, mbit or gbit, like --rate 10mbit.`);
  const bits = Math.round(value * scale);
  if (bits < MIN_RATE_BITS || bits > MAX_RATE_BITS) throw new LinkSpecError(`--rate ${shown(text)} is out of range: give from 8kbit to 10gbit.`);
  return bits;
}

/** "50ms", "500us", "1s": microseconds. */
export function parseDuration(option: 'delay' | 'jitter', text: string): number {
  const example = option === 'delay' ? '50ms' : '5ms';
  const { value, unit } = number(option, text, example);
  const scale = TIME_UNITS[unit];
  if (scale === undefined) throw new LinkSpecError(`--${option} ${shown(text)} has no known unit. Use us, ms or s, like --${option} ${example}.`);
  const microseconds = Math.round(value * scale);
  if (microseconds < 1 || microseconds > MAX_DELAY_MICROSECONDS) throw new LinkSpecError(`--${option} ${shown(text)} is out of range: give from 1us to 10s.`);
  return microseconds;
}

/** Reads the options into one request; a contradiction is refused before anything runs. */
export function planLinkRequest(options: LinkOptionsText): LinkRequest {
  const valued = (['loss', 'rate', 'delay', 'jitter'] as const).filter((key) => options[key] !== undefined);
  const flags = (['down', 'up', 'clear'] as const).filter((key) => options[key]);
  if (flags.length > 1) throw new LinkSpecError(`--${flags[0]} and --${flags[1]} cannot go together. Give one of them per call.`);
  const flag = flags[0];
  if (flag !== undefined) {
    if (valued.length > 0) throw new LinkSpecError(`--${flag} takes no --${valued[0]}. Set faults in a call of their own.`);
    return { kind: flag };
  }
  if (valued.length === 0) return { kind: 'show' };
  const faults: LinkFaults = {};
  if (options.loss !== undefined) faults.loss = parseLoss(options.loss);
  if (options.rate !== undefined) faults.rateBitsPerSecond = parseRate(options.rate);
  if (options.delay !== undefined) faults.delayMicroseconds = parseDuration('delay', options.delay);
  if (options.jitter !== undefined) {
    if (faults.delayMicroseconds === undefined) throw new LinkSpecError('--jitter varies a delay: give --delay too, like --delay 50ms --jitter 5ms.');
    faults.jitterMicroseconds = parseDuration('jitter', options.jitter);
    if (faults.jitterMicroseconds > faults.delayMicroseconds) throw new LinkSpecError('--jitter is larger than --delay. Give a jitter no larger than the delay.');
  }
  return { kind: 'set', faults };
}

/** An interface name the kernel could have (IFNAMSIZ is 16 with its NUL). */
export function checkInterfaceName(text: string): string {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(text) || text === '.' || text === '..') {
    throw new LinkSpecError(`--iface ${shown(text)} is not an interface name: 1-15 letters, digits, '.', '_' or '-', like --iface eth0.`);
  }
  return text;
}

/** The faults in the words they were typed in, for printing. */
export function describeFaults(faults: LinkFaults): string {
  const parts: string[] = [];
  if (faults.delayMicroseconds !== undefined) parts.push(`delay ${formatMicroseconds(faults.delayMicroseconds)}`);
  if (faults.jitterMicroseconds !== undefined) parts.push(`jitter ${formatMicroseconds(faults.jitterMicroseconds)}`);
  if (faults.loss !== undefined) parts.push(`loss ${formatPercent(faults.loss)}`);
  if (faults.rateBitsPerSecond !== undefined) parts.push(`rate ${formatRate(faults.rateBitsPerSecond)}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

export function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(4))}%`;
}

export function formatRate(bits: number): string {
  for (const [unit, scale] of [['gbit', 1e9], ['mbit', 1e6], ['kbit', 1e3]] as const) {
    if (bits >= scale && bits % scale === 0) return `${bits / scale}${unit}`;
  }
  return `${bits}bit`;
}

export function formatMicroseconds(us: number): string {
  if (us % 1e6 === 0) return `${us / 1e6}s`;
  if (us % 1e3 === 0) return `${us / 1e3}ms`;
  return `${us}us`;
}

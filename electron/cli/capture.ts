// `vxlab capture LAB NODE`: tcpdump in the node through the service (the same request
// and events as the app's capture panel), one decoded line per packet, or one JSON
// object per packet with --json. Ctrl+C or --count ends it, and either way tcpdump ends
// in the node. -w writes the frames as pcap as they come (memory stays flat however long
// it runs), and names the decode-as option Wireshark needs for a port other than 4789.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { ApiEvent, CaptureEnd, CaptureFrame, CaptureStarted, Params, Result } from '../api/contract.js';
import { MAX_CAPTURE_COUNT } from '../api/contract.js';
import { decodeFrame, formatPacketLine } from '../packets/decode.js';
import type { Frame } from '../packets/pcap.js';
import { wiresharkDecodeHint, writePcap } from '../packets/pcap.js';
import { printable } from './printable.js';

/** The part of the CLI's session with the service that a capture uses. */
export interface CaptureApi {
  request<M extends 'capture.start' | 'capture.stop'>(method: M, params: Params<M>): Promise<Result<M>>;
  /** Returns a function that stops listening. */
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

export interface CaptureCommandOptions {
  lab: string;
  node: string;
  iface?: string;
  filter?: string;
  /** As typed: checked here, so that `--count ten` is a usage error. */
  count?: string;
  write?: string;
  json: boolean;
}

type Io = { out: (text: string) => void; err: (text: string) => void };

/** Ctrl+C, a closed terminal, `kill`: each asks the capture to stop. Returns what unsubscribes. */
export type StopSignals = (onStop: () => void) => () => void;

const processSignals: StopSignals = (onStop) => {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, onStop);
  return () => {
    for (const signal of signals) process.off(signal, onStop);
  };
};

/** A --count that is not a whole number in range: the caller prints it as a usage error. */
export class CaptureUsageError extends Error {}

export function parseCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d{1,7}$/.test(text) ? Number(text) : NaN;
  if (!(value >= 1 && value <= MAX_CAPTURE_COUNT)) {
    throw new CaptureUsageError(`--count takes a whole number of packets from 1 to ${MAX_CAPTURE_COUNT}, not ${printable(text)}.`);
  }
  return value;
}

export async function captureCommand(api: CaptureApi, options: CaptureCommandOptions, io: Io, signals: StopSignals = processSignals): Promise<number> {
  const count = parseCount(options.count);
  const events: ApiEvent[] = [];
  let deliver: ((event: ApiEvent) => void) | undefined;
  // Events are kept until the id is known: none is lost between the answer and the first batch.
  const unsubscribe = api.onEvent((event) => (deliver ? deliver(event) : events.push(event)));
  // Ctrl+C while tcpdump starts is kept, and stops it as soon as its id is known.
  let stop: (() => void) | undefined;
  let interrupted = false;
  const stopListening = signals(() => {
    interrupted = true;
    stop?.();
  });
  let file: number | undefined;
  try {
    // The file first: a path that cannot be written is refused before anything runs in the node.
    if (options.write !== undefined) file = openForWriting(options.write);
    const started = await api.request('capture.start', {
      lab: options.lab,
      node: options.node,
      ...(options.iface !== undefined ? { iface: options.iface } : {}),
      ...(options.filter !== undefined ? { filter: options.filter } : {}),
      ...(count !== undefined ? { count } : {}),
    });
    if (file !== undefined) writeSync(file, writePcap([], started.linkType));
    io.err(
      `Capturing on ${printable(started.iface)} of ${printable(started.node)}${options.filter ? ` (${printable(options.filter)})` : ''}` +
        `${count !== undefined ? `, ${count} packet${count === 1 ? '' : 's'}` : ''}; Ctrl+C stops.\n`,
    );
    const printer = new PacketPrinter(started, options.json, io, file);
    const ended = new Promise<CaptureEnd>((resolve) => {
      deliver = (event) => {
        if (!('id' in event) || event.id !== started.id) return;
        if (event.type === 'capture-frames') printer.print(event.frames);
        else if (event.type === 'capture-ended') resolve(event);
      };
      for (const event of events.splice(0)) deliver(event);
    });
    let stopping = false;
    stop = () => {
      if (stopping) return;
      stopping = true;
      // An error here means it has already ended: its end event comes all the same.
      void api.request('capture.stop', { id: started.id }).catch(() => {});
    };
    if (interrupted) stop();
    return finish(started, await ended, options, io);
  } finally {
    stopListening();
    unsubscribe();
    if (file !== undefined) closeSync(file);
  }
}

function openForWriting(path: string): number {
  try {
    return openSync(path, 'w');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new CaptureUsageError(`-w ${printable(path)}: cannot write it (${printable(code)}). Give a file in a folder that exists and that you may write to.`);
  }
}

function finish(started: CaptureStarted, end: CaptureEnd, options: CaptureCommandOptions, io: Io): number {
  const dropped = end.droppedByKernel ? ` (the kernel dropped ${end.droppedByKernel} more that tcpdump could not keep up with)` : '';
  io.err(`${end.count} packet${end.count === 1 ? '' : 's'} captured${dropped}${end.reason ? `; the capture ended: ${printable(end.reason)}` : ''}.\n`);
  if (options.write !== undefined) {
    io.err(`Wrote ${end.count} packet${end.count === 1 ? '' : 's'} to ${printable(options.write)}.\n`);
    const hint = wiresharkDecodeHint(started.vxlanPorts);
    if (hint) {
      io.err(
        `Wireshark decodes VXLAN only on UDP 4789; this lab also uses ${started.vxlanPorts.filter((p) => p !== 4789).join(', ')}. ` +
          `Open it with: wireshark ${hint} ${printable(options.write)}   (or: tshark ${hint} -r ${printable(options.write)})\n`,
      );
    }
  }
  return end.reason ? 1 : 0;
}

/** Decodes and prints each frame; with -w, appends it to the pcap file too. */
class PacketPrinter {
  private readonly decodeOptions: { vxlanPorts: readonly number[] };

  constructor(
    private readonly started: CaptureStarted,
    private readonly json: boolean,
    private readonly io: Io,
    private readonly file: number | undefined,
  ) {
    this.decodeOptions = { vxlanPorts: started.vxlanPorts };
  }

  print(wireFrames: readonly CaptureFrame[]): void {
    const frames = wireFrames.map(toFrame);
    if (this.file !== undefined) writeSync(this.file, writePcap(frames, this.started.linkType).subarray(PCAP_HEADER_BYTES));
    let text = '';
    for (const frame of frames) {
      const packet = decodeFrame(frame.bytes, this.decodeOptions, frame.originalLength);
      text += this.json
        ? // JSON escapes control characters itself.
          JSON.stringify({ index: frame.index, timeUs: frame.timeUs, capturedLength: frame.capturedLength, ...packet.summary, keys: packet.keys, problems: packet.problems }) + '\n'
        : printable(formatPacketLine(frame, packet)) + '\n';
    }
    this.io.out(text);
  }
}

/** writePcap puts this file header before the records: a batch after the first appends records alone. */
const PCAP_HEADER_BYTES = 24;

function toFrame(frame: CaptureFrame): Frame {
  const bytes = new Uint8Array(Buffer.from(frame.data, 'base64'));
  return { index: frame.index, timeUs: frame.timeUs, capturedLength: bytes.length, originalLength: frame.originalLength, bytes };
}

// Docker's event stream, read as the untrusted input it is: lines of bounded length,
// JSON checked field by field, and each event mapped to the lab whose nodes it
// changed, by a label value that must be a valid lab name.
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import type { LabName } from '../lab/brands.js';
import type { DockerClient } from './docker.js';
import { LABEL_LAB, labOfLabels } from './labels.js';

/** Container actions after which a lab's status reads differently. */
export const NODE_ACTIONS: readonly string[] = ['create', 'start', 'die', 'destroy', 'pause', 'unpause'];

/** An event is a few hundred bytes; a line this long is not one Docker sends, so it is dropped. */
export const MAX_EVENT_LINE = 64 * 1024;

/**
 * The lab a Docker event concerns, when it is a container of a lab starting, dying,
 * going away and the like; undefined for anything else, malformed or foreign.
 */
export function labOfDockerEvent(event: unknown): LabName | undefined {
  if (!isRecord(event) || event.Type !== 'container') return undefined;
  if (typeof event.Action !== 'string' || !NODE_ACTIONS.includes(event.Action)) return undefined;
  const attributes = isRecord(event.Actor) ? event.Actor.Attributes : undefined;
  return isRecord(attributes) ? labOfLabels(attributes as Record<string, string>) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Turns the stream's chunks into parsed events, one per line. A chunk may end inside a
 * line (or inside a character); a line that grows past MAX_EVENT_LINE is dropped whole,
 * and text that is not JSON is skipped.
 */
export function eventLineReader(onEvent: (event: unknown) => void): (chunk: Buffer | string) => void {
  const decoder = new TextDecoder();
  let pending = '';
  let skippingLongLine = false;
  return (chunk) => {
    const text = pending + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    let start = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
      const line = text.slice(start, newline);
      start = newline + 1;
      if (skippingLongLine) skippingLongLine = false;
      else if (line.length <= MAX_EVENT_LINE) parseLine(line, onEvent);
    }
    pending = text.slice(start);
    if (pending.length > MAX_EVENT_LINE) {
      pending = '';
      skippingLongLine = true;
    }
  };
}

function parseLine(line: string, onEvent: (event: unknown) => void): void {
  if (line.trim() === '') return;
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    return; // not an event: nothing to act on
  }
  onEvent(event);
}

/** Docker's events of containers labelled with a lab, until `signal` aborts. */
export async function openLabEvents(docker: DockerClient, signal: AbortSignal): Promise<Readable> {
  // docker-modem honours abortSignal (it ends the request); dockerode's types omit it.
  const options: Docker.GetEventsOptions & { abortSignal: AbortSignal } = {
    filters: { type: ['container'], label: [LABEL_LAB], event: [...NODE_ACTIONS] },
    abortSignal: signal,
  };
  const stream = await docker.getEvents(options);
  // dockerode hands back the HTTP response, a Readable; its type says only NodeJS.ReadableStream.
  return stream as Readable;
}

// The packet walk put together: the same ping found in every capture (matched on its
// inner addresses, IP ID and ICMP id/sequence), ordered by the kernel's timestamps (all
// namespaces of a machine share one clock, so the gaps are real), and each hop given the
// table entry that sent it on. Pure: the captures, neighbour entries and VTEP views come in.
import type { FdbEntry, TraceDecision, TraceHop, TraceResult, VtepView } from '../api/types.js';
import { decodeFrame } from '../packets/decode.js';
import type { DecodedPacket, PacketKeys } from '../packets/decode.js';
import { samePacket } from '../packets/pairing.js';
import { readPcap } from '../packets/pcap.js';
import type { Frame } from '../packets/pcap.js';
import { describeFdbEntry, describeNeighbour } from './table-entries.js';
import type { CapturePoint, HostTraceOutput, TracePath } from './trace-path.js';
import { replyRole } from './trace-path.js';

const ICMP_ECHO_REQUEST = 8;
const ICMP_ECHO_REPLY = 0;

interface SeenFrame {
  frame: Frame;
  packet: DecodedPacket;
}

/** A container's neighbour entry as `ip -j neigh` gives it; checked field by field. */
interface RawNeighbour {
  dst?: unknown;
  dev?: unknown;
  lladdr?: unknown;
  state?: unknown;
}

export interface TraceInputs {
  path: TracePath;
  /** Each host's captures and neighbour entries. */
  outputs: Map<string, HostTraceOutput>;
  /** Each host's VTEP view, read right after the ping. */
  views: Map<string, VtepView>;
  /** Problems met while capturing (a host that said something on stderr, a failed ping). */
  problems?: string[];
}

export function stitchTrace(inputs: TraceInputs): TraceResult {
  const { path, outputs } = inputs;
  const problems = [...(inputs.problems ?? [])];
  const vxlanPorts = path.tunnel ? [path.tunnel.port] : [];
  const seen = new Map<string, SeenFrame[]>();
  for (const point of path.points) {
    const bytes = outputs.get(point.host)?.pcaps.get(point.key);
    const failure = outputs.get(point.host)?.failures.get(point.key);
    if (failure !== undefined) problems.push(`Could not capture on ${point.node} ${point.iface}: ${failure}`);
    if (!bytes || bytes.length === 0) {
      if (failure === undefined) problems.push(`Nothing was captured on ${point.node} ${point.iface}.`);
      seen.set(point.key, []);
      continue;
    }
    const pcap = readPcap(bytes);
    if (pcap.problem) problems.push(`The capture on ${point.node} ${point.iface} is unreadable: ${pcap.problem}`);
    seen.set(
      point.key,
      pcap.frames.map((frame) => ({ frame, packet: decodeFrame(frame.bytes, { vxlanPorts }, frame.originalLength) })),
    );
  }
  const result: TraceResult = { from: path.from.container, dest: path.dest.container, destIp: path.dest.ip, vxlanPorts, request: [], reply: [], problems };
  const first = (key: string) => seen.get(key) ?? [];
  const isEcho = (keys: PacketKeys, type: number, src: string, dst: string) =>
    keys.icmp?.type === type && keys.srcIp === src && keys.dstIp === dst;
  const request = [...first('s'), ...first('r')].find((f) => isEcho(f.packet.keys, ICMP_ECHO_REQUEST, path.from.ip, path.dest.ip));
  if (!request) {
    problems.push(
      `No echo request from ${path.from.container} (${path.from.ip}) to ${path.dest.ip} was seen: the ping never left ${path.from.container} (did its ARP request for ${path.dest.ip} get an answer?).`,
    );
    return result;
  }
  const requestKeys = request.packet.keys;
  const reply = [...first('r'), ...first('s')].find(
    (f) =>
      isEcho(f.packet.keys, ICMP_ECHO_REPLY, path.dest.ip, path.from.ip) &&
      f.packet.keys.icmp?.id === requestKeys.icmp?.id &&
      f.packet.keys.icmp?.seq === requestKeys.icmp?.seq,
  );
  const way = directions(path, requestKeys.dstMac ?? path.dest.iface.mac);
  result.request = walk(path.points, requestKeys, seen, (point) => decisionAt(point, inputs, way.request), problems, 'request', 1);
  if (!reply) {
    problems.push(`No echo reply from ${path.dest.container} (${path.dest.ip}) was seen within the ping's 2 s.`);
    return result;
  }
  const replyPoints = [...path.points].reverse().map((point) => ({ ...point, role: replyRole(point.role) }));
  result.reply = walk(replyPoints, reply.packet.keys, seen, (point) => decisionAt(point, inputs, way.reply), problems, 'reply', result.request.length + 1);
  const start = result.request[0]?.timeUs ?? result.reply[0]?.timeUs ?? 0;
  for (const hop of [...result.request, ...result.reply]) hop.sinceFirstUs = hop.timeUs - start;
  return result;
}

/** The hops of one packet: each point's copy of it, in time order (the path's order between equal times). */
function walk(
  points: CapturePoint[],
  keys: PacketKeys,
  seen: Map<string, SeenFrame[]>,
  decide: (point: CapturePoint) => TraceDecision | undefined,
  problems: string[],
  what: string,
  firstStep: number,
): TraceHop[] {
  const found: { order: number; hop: TraceHop }[] = [];
  points.forEach((point, order) => {
    const encapsulated = point.role === 'underlay-in' || point.role === 'underlay-out';
    const copy = (seen.get(point.key) ?? []).find((f) => samePacket(f.packet.keys, keys) && (f.packet.keys.outer !== undefined) === encapsulated);
    if (!copy) {
      problems.push(`The ${what} was not seen on ${point.node} ${point.iface} (${point.role}).`);
      return;
    }
    found.push({
      order,
      hop: {
        step: 0,
        node: point.node,
        host: point.host,
        iface: point.iface,
        role: point.role,
        timeUs: copy.frame.timeUs,
        sinceFirstUs: 0,
        frame: { timeUs: copy.frame.timeUs, originalLength: copy.frame.originalLength, data: toBase64(copy.frame.bytes) },
        decision: decide(point),
      },
    });
  });
  found.sort((a, b) => a.hop.timeUs - b.hop.timeUs || a.order - b.order);
  return found.map(({ hop }, index) => ({ ...hop, step: firstStep + index }));
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Which way a packet goes: from `source` to `target`, each a container with its host, address and MAC. */
interface Direction {
  source: { container: string; host: string; ip: string };
  target: { container: string; host: string; ip: string; mac: string };
}

function directions(path: TracePath, destMac: string): { request: Direction; reply: Direction } {
  return {
    request: { source: path.from, target: { ...path.dest, mac: destMac } },
    reply: { source: path.dest, target: { ...path.from, mac: path.from.iface.mac } },
  };
}

/**
 * The entry that decided a hop of a packet going `way`: the sender's ARP entry, the
 * bridge's and the sending VTEP's FDB entry, the underlay ARP entry of the sending host.
 */
function decisionAt(point: CapturePoint, inputs: TraceInputs, way: Direction): TraceDecision | undefined {
  const view = inputs.views.get(point.host);
  const toward = {
    sender: { container: way.source.container, ip: way.target.ip, peer: way.target.container },
    mac: way.target.mac,
    peerHost: way.target.host,
  };
  switch (point.role) {
    case 'sender':
      return senderNeighbour(inputs.outputs.get(point.host)?.neighbours.get(toward.sender.container) ?? [], toward.sender, point);
    case 'bridge-port':
    case 'vtep': {
      if (!view) return undefined;
      // The sending host's bridge port and VTEP forward; the receiving host's bridge port delivers.
      const table = point.role === 'vtep' ? 'vtep' : 'bridge';
      const isForwardingVtep = point.role === 'vtep' && point.host !== toward.peerHost;
      if (point.role === 'vtep' && !isForwardingVtep) return undefined;
      return fdbDecision(view, table, toward.mac, point.iface);
    }
    case 'underlay-out': {
      const peerIp = inputs.path.hostIps.get(toward.peerHost);
      const entry = view?.neighbours.find((n) => n.ip === peerIp && n.device === point.iface);
      if (!entry) return peerIp ? { table: 'route', entry: `${peerIp} is on the underlay's subnet: sent out ${point.iface}`, pointsTo: peerIp, ip: peerIp, host: point.host } : undefined;
      return { table: 'neighbour', entry: describeNeighbour(entry), pointsTo: entry.mac, ip: entry.ip, mac: entry.mac, device: entry.device, host: point.host };
    }
    default:
      return undefined;
  }
}

function fdbDecision(view: VtepView, table: FdbEntry['table'], mac: string, iface: string): TraceDecision {
  if (table === 'vtep') {
    const learned = view.fdb.find((e) => e.table === 'vtep' && e.device === iface && e.mac === mac);
    if (learned) return { table: 'fdb', entry: describeFdbEntry(learned), pointsTo: learned.dst, mac, ip: learned.dst, device: iface, host: view.host };
    // Not learned (yet): the frame went to every peer of the flood list.
    const flood = view.fdb.filter((e) => e.table === 'vtep' && e.device === iface && e.kind === 'flood');
    return {
      table: 'fdb',
      entry: flood.length ? flood.map(describeFdbEntry).join('; ') : `no entry for ${mac} on ${iface}`,
      pointsTo: flood.map((e) => e.dst).join(',') || undefined,
      mac: '00:00:00:00:00:00',
      device: iface,
      host: view.host,
    };
  }
  const entry = view.fdb.find((e) => e.table === 'bridge' && e.mac === mac);
  if (!entry) return { table: 'fdb', entry: `no entry for ${mac}: the bridge floods it to every port`, mac, host: view.host };
  return { table: 'fdb', entry: describeFdbEntry(entry), pointsTo: entry.device, mac, device: entry.device, host: view.host };
}

function senderNeighbour(entries: unknown[], sender: { container: string; ip: string; peer: string }, point: CapturePoint): TraceDecision | undefined {
  const raw = entries.find((e): e is RawNeighbour => typeof e === 'object' && e !== null && (e as RawNeighbour).dst === sender.ip);
  if (!raw) return undefined;
  const mac = typeof raw.lladdr === 'string' ? raw.lladdr.slice(0, 17) : undefined;
  const state = Array.isArray(raw.state) ? raw.state.filter((s): s is string => typeof s === 'string').slice(0, 4).join(',') : '';
  const device = typeof raw.dev === 'string' ? raw.dev.slice(0, 15) : point.iface;
  return {
    table: 'neighbour',
    entry: describeNeighbour({ ip: sender.ip, mac, device, state, owner: sender.peer }),
    pointsTo: mac,
    ip: sender.ip,
    mac,
    device,
    host: sender.container,
  };
}

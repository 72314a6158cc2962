// The plain data the API carries: results of the engine's work and its events.
// Declared here, not in the engine, so that whoever reads the contract (the renderer,
// the CLI) compiles without Node or dockerode; the engine imports these with
// `import type` and produces them. Pure: no imports but the pure lab model.
import type { UpPlan } from '../lab/plan.js';

/** One named stage of engine work; events report it per node. */
export type StepName =
  | 'check-engine'
  | 'build-image'
  | 'underlay'
  | 'host'
  | 'load-image'
  | 'overlay'
  | 'container'
  | 'remove'
  | 'converge';

/**
 * Progress of engine work. `node` is the host a step ran on; `nodes`, when present,
 * names the hosts and containers the step creates, changes or removes.
 */
export type EngineEvent =
  | { type: 'step-started'; step: StepName; node?: string; nodes?: string[]; detail?: string }
  | { type: 'step-progress'; step: StepName; node?: string; nodes?: string[]; detail: string; fraction?: number }
  | { type: 'step-finished'; step: StepName; node?: string; nodes?: string[]; detail?: string; ms: number }
  | { type: 'step-failed'; step: StepName; node?: string; nodes?: string[]; error: string }
  | { type: 'log'; level: 'info' | 'warn'; message: string };

/** Who the Docker engine is. */
export interface EngineInfo {
  endpoint: string;
  version: string;
  apiVersion: string;
  kernel: string;
  storageDriver: string;
}

export interface UpResult {
  plan: UpPlan;
  ms: number;
}

export interface DownResult {
  containers: number;
  networks: number;
  volumes: number;
}

export interface LabSummary {
  name: string;
  title: string;
  hosts: number;
  running: number;
}

export interface NodeStatus {
  name: string;
  kind: 'host' | 'container';
  host?: string;
  state: string;
  addresses: string[];
}

export interface LabStatus {
  name: string;
  title: string;
  state: 'running' | 'degraded' | 'stopped';
  nodes: NodeStatus[];
}

// A host's VTEP view: what its kernel knows about the overlays, in the lab's terms.

export interface VtepDevice {
  device: string;
  vni: number;
  port: number;
  localIp: string;
  underlayDevice: string;
  mtu: number;
  bridge?: string;
  learning: boolean;
  state: string;
}

export interface FdbEntry {
  /** bridge: the overlay bridge's table (MAC -> port); vtep: the VXLAN device's own (MAC -> remote host). */
  table: 'bridge' | 'vtep';
  mac: string;
  device: string;
  /** For a VXLAN device: the underlay IP frames for `mac` are sent to. */
  dst?: string;
  /** flood: the all-zeros entry vxlab adds per peer; learned: seen in traffic; local: this host's own port. */
  kind: 'flood' | 'learned' | 'local' | 'static';
  /** The container or host behind the MAC or the destination, when the lab names it. */
  owner?: string;
}

export interface BridgePort {
  port: string;
  bridge: string;
  kind: 'vxlan' | 'veth' | 'other';
  /** For a veth: the container interface at its other end. */
  container?: string;
  state: string;
  mtu: number;
}

export interface Neighbour {
  ip: string;
  mac?: string;
  device: string;
  state: string;
  owner?: string;
}

export interface RouteEntry {
  destination: string;
  device?: string;
  gateway?: string;
  source?: string;
}

// `vxlab doctor` (issue 8, section 4): what is wrong with a lab's VTEPs, as the hosts show it.
export type DoctorFindingCode =
  | 'host-unreadable'
  | 'device-missing'
  | 'device-down'
  | 'device-detached'
  | 'vni-mismatch'
  | 'port-mismatch'
  | 'wrong-local'
  | 'missing-flood'
  | 'stray-flood'
  | 'mtu-blackhole'
  | 'underlay-loss'
  | 'path-loss';

export interface DoctorFinding {
  code: DoctorFindingCode;
  host: string;
  overlay?: string;
  device?: string;
  /** What is wrong and what it does to the traffic, in one sentence. */
  cause: string;
  /** What to run to put it right. */
  fix: string;
}

export interface DoctorReport {
  lab: string;
  healthy: boolean;
  findings: DoctorFinding[];
  /** The pings the doctor sent between containers on different hosts, and how many came back. */
  paths?: PathProbe[];
}

/** One path the doctor probed: a ping from a container on one host to one on another, on one overlay. */
export interface PathProbe {
  overlay: string;
  from: { host: string; container: string };
  to: { host: string; container: string; address: string };
  sent: number;
  received: number;
}

export interface VtepView {
  lab: string;
  host: string;
  underlay: { device: string; ip?: string; mtu?: number };
  vteps: VtepDevice[];
  fdb: FdbEntry[];
  bridgePorts: BridgePort[];
  neighbours: Neighbour[];
  routes: RouteEntry[];
}

// The packet walk (`vxlab trace`) and the hosts' tables live (issue 7, part C).

/** Where a hop of the walk was seen: one capture point on the path of a ping. */
export type TraceRole = 'sender' | 'bridge-port' | 'vtep' | 'underlay-out' | 'underlay-in' | 'receiver';

/** The table entry that sent the packet where it went next. */
export interface TraceDecision {
  table: 'fdb' | 'neighbour' | 'route';
  /** The entry as `bridge fdb` / `ip neigh` would print it, named in the lab's terms. */
  entry: string;
  /** Where the entry sends the packet: a VTEP's underlay IP, a bridge port, a MAC. */
  pointsTo?: string;
  /** The keys of the entry, so a view of the tables can find (and highlight) it. */
  mac?: string;
  ip?: string;
  device?: string;
  host?: string;
}

export interface TraceHop {
  step: number;
  /** The node whose interface this is: a container, or a host for its bridge port, VXLAN device and underlay. */
  node: string;
  /** The host the node runs on (the node itself for a host). */
  host: string;
  iface: string;
  role: TraceRole;
  timeUs: number;
  /** Since the first hop of the request. */
  sinceFirstUs: number;
  frame: { timeUs: number; originalLength: number; data: string /* base64 */ };
  decision?: TraceDecision;
}

export interface TraceResult {
  from: string;
  dest: string;
  destIp: string;
  /** The UDP port(s) VXLAN uses on this path, for decoding the frames. */
  vxlanPorts: number[];
  request: TraceHop[];
  reply: TraceHop[];
  problems: string[];
}

/** One difference between two reads of a host's tables. */
export interface TableChange {
  table: 'fdb' | 'neighbour';
  change: 'added' | 'removed' | 'changed';
  entry: string;
  mac?: string;
  ip?: string;
  device?: string;
}

// A live capture in a node (`vxlab capture` and the app's capture panel).

/** What `capture.start` answers: where it runs, and how to decode what comes. */
export interface CaptureStarted {
  id: string;
  node: string;
  iface: string;
  /** The UDP ports of the lab's overlays: VXLAN is decoded on these (and 4789). */
  vxlanPorts: number[];
  /** The pcap link type (1: Ethernet). */
  linkType: number;
}

/** One captured frame as an event carries it. */
export interface CaptureFrame {
  /** 1, 2, 3…: every frame of the capture, none skipped. */
  index: number;
  timeUs: number;
  originalLength: number;
  /** The captured bytes, base64. */
  data: string;
}

/** How a capture ended: `count` frames were delivered; tcpdump's own figures when it gave them. */
export interface CaptureEnd {
  count: number;
  /** Absent when it ended as asked (stopped, or its count reached). */
  reason?: string;
  /** tcpdump's "packets captured" and "dropped by kernel", read from its last words. */
  captured?: number;
  droppedByKernel?: number;
}

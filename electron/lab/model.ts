// The lab model: what a lab file says, once validated and with defaults filled in.
// Pure TypeScript: the renderer, the CLI and the engine all use these types.
// Names, addresses and numbers are branded (see brands.ts): only validation makes a Lab.

import type { CidrText, ImageReference, Ipv4Address, LabName, Mtu, NodeName, UdpPort, Vni } from './brands.js';

export const LAB_FILE_VERSION = 1;
export const DEFAULT_VXLAN_PORT = 4789;
export const DEFAULT_UNDERLAY_MTU = 1500;
/** Outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8 bytes wrapped around every inner frame. */
export const VXLAN_OVERHEAD = 50;
export const MAX_VNI = 16_777_215;
export const MAX_PORT = 65_535;

export interface Interface {
  overlay: NodeName;
  ip: Ipv4Address;
}

export interface ContainerSpec {
  name: NodeName;
  host: NodeName;
  /** Absent: the node image that `vxlab images build` makes. */
  image?: ImageReference;
  interfaces: Interface[];
}

export interface HostSpec {
  name: NodeName;
  ip: Ipv4Address;
}

export interface OverlaySpec {
  name: NodeName;
  vni: Vni;
  subnet: CidrText;
  port: UdpPort;
  mtu: Mtu;
}

export interface UnderlaySpec {
  subnet: CidrText;
  mtu: Mtu;
}

/** A command an objective runs in one node (`sh -c run`). */
export interface NodeCommand {
  node: string;
  run: string;
}

/** What every check has, whatever it looks at. Messages are the author's. */
interface CheckCommon {
  /** pass: the probe must succeed (the entry exist); fail: it must not. */
  expect: 'pass' | 'fail';
  timeoutSeconds: number;
  retries: number;
  passMessage?: string;
  failMessage?: string;
}

export type StateEntry = { vni: number; device?: string; port?: number } | { flood: string } | { mac: string };

export type ObjectiveCheck = CheckCommon &
  (
    | { kind: 'reach'; from: string; to: string }
    | { kind: 'mtu'; from: string; to: string; size: number }
    | { kind: 'command'; node: string; run: string; match?: string }
    | { kind: 'state'; host: string; entry: StateEntry }
  );

/** One step of a guided lab (issue 8 §1). */
export interface Objective {
  title: string;
  explanation: string;
  setup: NodeCommand[];
  solution: NodeCommand[];
  checks: ObjectiveCheck[];
}

/** A validated lab with every default applied. */
export interface Lab {
  version: 1;
  name: LabName;
  title: string;
  description: string;
  underlay: UnderlaySpec;
  hosts: HostSpec[];
  overlays: OverlaySpec[];
  containers: ContainerSpec[];
  layout: Record<string, unknown>;
  /** Present only when the file has objectives. */
  objectives?: Objective[];
}

/**
 * `T` with every brand taken off: the shape of a lab as data, before validation vouches for it.
 * Code that builds a lab (generators, tests, the bench) writes one of these and validates it.
 */
export type Unbranded<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends readonly (infer E)[]
      ? Unbranded<E>[]
      : T extends object
        ? { [K in keyof T]: Unbranded<T[K]> }
        : T;

/** A lab as plain data with the validated lab's shape; `validateLab` turns it into a Lab. */
export type LabData = Unbranded<Lab>;

/** Stable codes so callers (and tests) match on codes, not on sentences. */
export type ProblemCode =
  | 'yaml-syntax'
  | 'required'
  | 'wrong-type'
  | 'unknown-version'
  | 'invalid-name'
  | 'duplicate-name'
  | 'invalid-ip'
  | 'invalid-subnet'
  | 'ip-outside-subnet'
  | 'ip-reserved'
  | 'duplicate-ip'
  | 'unknown-host'
  | 'unknown-overlay'
  | 'unknown-node'
  | 'duplicate-interface-overlay'
  | 'vni-range'
  | 'duplicate-vni'
  | 'port-range'
  | 'mtu-range'
  | 'mtu-too-large'
  | 'subnet-overlap'
  | 'subnet-reserved'
  | 'invalid-image'
  | 'control-character'
  | 'limit-exceeded'
  | 'more-problems';

export interface Problem {
  code: ProblemCode;
  /** Where in the file, as a path: `containers[1].interfaces[0].ip`. Empty for the whole file. */
  path: string;
  /** 1-based position in the source text, when the problem came from parsing text. */
  line?: number;
  column?: number;
  /** One plain sentence: what is wrong and what to do about it. */
  message: string;
}

export type LabResult = { ok: true; lab: Lab } | { ok: false; problems: Problem[] };

// Branded values: text and numbers that passed a check, told apart from any string or number
// by the compiler. Only the guards below (used by validation) make them, so code that puts a
// value into a Docker call or a host script can demand, in its signature, that it was checked.
//
// A brand is a phantom: at run time a LabName is the plain string, so labs stay plain data
// (JSON, structured clone, YAML) and readers need no changes.

import { parseCidr, parseIPv4 } from './addressing.js';
import { MAX_LAB_NAME_LENGTH, MAX_NODE_NAME_LENGTH, isValidName } from './names.js';
import { isImageReference } from './image-reference.js';
import { MAX_PORT, MAX_VNI } from './model.js';

declare const brand: unique symbol;
/** `T` that carries the compile-time mark `B`; nothing exists at run time. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A lab's name: a DNS label of at most MAX_LAB_NAME_LENGTH characters. */
export type LabName = Brand<string, 'LabName'>;
/** A host's, container's or overlay's name: a DNS label of at most MAX_NODE_NAME_LENGTH characters. */
export type NodeName = Brand<string, 'NodeName'>;
/** A dotted-quad IPv4 address, strictly written (no leading zeros, no spaces). */
export type Ipv4Address = Brand<string, 'Ipv4Address'>;
/** An IPv4 subnet written as network/prefix with the host bits zero, e.g. 10.0.0.0/16. */
export type CidrText = Brand<string, 'CidrText'>;
/** A VXLAN network identifier, 1 to 16,777,215. */
export type Vni = Brand<number, 'Vni'>;
/** A UDP port, 1 to 65,535. */
export type UdpPort = Brand<number, 'UdpPort'>;
/** An interface MTU in bytes (the lab's rules bound it further). */
export type Mtu = Brand<number, 'Mtu'>;
/** A Docker image reference: [registry[:port]/]path[:tag][@sha256:digest], never an option or a path. */
export type ImageReference = Brand<string, 'ImageReference'>;

/** Loose outer bounds; validation applies the lab's own, narrower MTU rules. */
const MIN_ANY_MTU = 68;
const MAX_ANY_MTU = 65_535;

function isWhole(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

export function isLabName(value: unknown): value is LabName {
  return typeof value === 'string' && isValidName(value, MAX_LAB_NAME_LENGTH);
}

export function isNodeName(value: unknown): value is NodeName {
  return typeof value === 'string' && isValidName(value, MAX_NODE_NAME_LENGTH);
}

export function isIpv4Address(value: unknown): value is Ipv4Address {
  return typeof value === 'string' && parseIPv4(value) !== undefined;
}

/** Network/prefix text with host bits zero, so it can be used as written. */
export function isCidrText(value: unknown): value is CidrText {
  if (typeof value !== 'string') return false;
  const cidr = parseCidr(value);
  return cidr !== undefined && !cidr.hostBitsSet;
}

export function isVni(value: unknown): value is Vni {
  return isWhole(value, 1, MAX_VNI);
}

export function isUdpPort(value: unknown): value is UdpPort {
  return isWhole(value, 1, MAX_PORT);
}

export function isMtu(value: unknown): value is Mtu {
  return isWhole(value, MIN_ANY_MTU, MAX_ANY_MTU);
}

export function isImageRef(value: unknown): value is ImageReference {
  return typeof value === 'string' && isImageReference(value);
}

/**
 * The value as the branded type, or an exception naming what was expected. For values that
 * must already be valid (they were checked where they entered); a throw here is a bug.
 */
export function mustBe<T>(guard: (value: unknown) => value is T, value: unknown, what: string): T {
  if (!guard(value)) throw new TypeError(`${JSON.stringify(value)} is not ${what}`);
  return value;
}

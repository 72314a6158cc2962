// Checks a lab (as plain data, e.g. from YAML) and fills in defaults.
// Every problem is reported at once; checks that depend on a broken or unknown value are skipped.

import {
  assignableRange,
  contains,
  formatCidr,
  formatIPv4,
  overlaps,
  parseCidr,
  parseIPv4,
  reservedRole,
  specialRangeOf,
} from './addressing.js';
import type { Cidr } from './addressing.js';
import {
  DEFAULT_UNDERLAY_MTU,
  DEFAULT_VXLAN_PORT,
  LAB_FILE_VERSION,
  MAX_VNI,
  VXLAN_OVERHEAD,
} from './model.js';
import type {
  ContainerSpec,
  HostSpec,
  Interface,
  Lab,
  LabResult,
  OverlaySpec,
  Problem,
  ProblemCode,
  UnderlaySpec,
} from './model.js';
import { MAX_LAB_NAME_LENGTH, MAX_NODE_NAME_LENGTH, nameFault, suggestName } from './names.js';
import {
  MAX_CONTAINERS,
  MAX_HOSTS,
  MAX_INTERFACES,
  MAX_INTERFACES_PER_CONTAINER,
  MAX_OVERLAYS,
  MAX_PROBLEMS,
  MAX_YAML_DEPTH,
  listSome,
} from './limits.js';
import { IMAGE_REFERENCE_FORM, imageReferenceFault } from './image-reference.js';
import { isCidrText, isIpv4Address, isLabName, isMtu, isNodeName, isUdpPort, isVni, isImageRef, mustBe } from './brands.js';
import type { CidrText, ImageReference, Ipv4Address, Mtu, NodeName } from './brands.js';

export const MIN_SUBNET_PREFIX = 8;
export const MAX_SUBNET_PREFIX = 29;
export const MIN_UNDERLAY_MTU = 1280;
export const MAX_MTU = 9000;
export const MIN_OVERLAY_MTU = 576;
export const MAX_PORT = 65_535;

type Mapping = Record<string, unknown>;
type Report = (code: ProblemCode, path: string, message: string) => void;

export function validateLab(data: unknown): LabResult {
  const problems: Problem[] = [];
  let unreported = 0;
  // Past MAX_PROBLEMS only a count is kept: a huge bad file makes a short answer.
  const report: Report = (code, path, message) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ code, path, message });
    else unreported++;
  };
  const result = checkLab(data, problems, report);
  if (result.ok || unreported === 0) return result;
  problems.push({
    code: 'more-problems',
    path: '',
    message: `… and ${unreported} more problem${unreported === 1 ? '' : 's'} not shown: fix the ones above and validate again`,
  });
  return { ok: false, problems };
}

function checkLab(data: unknown, problems: Problem[], report: Report): LabResult {

  if (isAbsent(data)) {
    report('required', '', 'The lab file is empty: it needs at least version, name, underlay and hosts');
    return { ok: false, problems };
  }
  if (!isMapping(data)) {
    report('wrong-type', '', `The lab file is ${describe(data)} but must be a mapping with version, name, underlay and hosts`);
    return { ok: false, problems };
  }
  // Sizes first, so no later check works through more than a lab can hold.
  checkLimits(data, report);
  if (problems.length > 0) return { ok: false, problems };

  checkVersion(data.version, report);
  const name = readName(data, 'name', '', MAX_LAB_NAME_LENGTH, 'the lab name, for example name: vxlan-basics', report);
  const title = readDisplayText(data, 'title', TITLE_CONTROL, report);
  const description = readDisplayText(data, 'description', DESCRIPTION_CONTROL, report);
  const underlay = checkUnderlay(data.underlay, report);
  const nodeNames = new Map<string, string>();
  const hosts = checkHosts(data.hosts, underlay, nodeNames, report);
  const overlays = checkOverlays(data.overlays, underlay, report);
  const containers = checkContainers(data.containers, hosts.names, overlays, nodeNames, report);
  const layout = checkLayout(data.layout, report);

  if (problems.length > 0 || name === undefined || underlay.spec === undefined || layout === undefined) {
    return { ok: false, problems };
  }
  const lab: Lab = {
    version: LAB_FILE_VERSION,
    name: mustBe(isLabName, name, 'a lab name'),
    title,
    description,
    underlay: underlay.spec,
    hosts: hosts.specs,
    overlays: overlays.specs,
    containers,
    layout,
  };
  return { ok: true, lab };
}

// ---- limits ----------------------------------------------------------------------------------

function checkLimits(data: Mapping, report: Report): void {
  const depth = depthBeyond(data, MAX_YAML_DEPTH);
  if (depth !== undefined) {
    report('limit-exceeded', depth, `${depth} is nested deeper than the ${MAX_YAML_DEPTH} levels a lab file may have: flatten it`);
    return;
  }
  const count = (key: string, max: number, what: string): void => {
    const list = data[key];
    if (Array.isArray(list) && list.length > max) {
      report('limit-exceeded', key, `${key} lists ${list.length} ${what}, more than the ${max} a lab may have: split the lab or remove some`);
    }
  };
  count('hosts', MAX_HOSTS, 'hosts');
  count('containers', MAX_CONTAINERS, 'containers');
  count('overlays', MAX_OVERLAYS, 'overlays');
  const containers = data.containers;
  if (!Array.isArray(containers) || containers.length > MAX_CONTAINERS) return;
  let total = 0;
  containers.forEach((container, index) => {
    const interfaces = isMapping(container) ? container.interfaces : undefined;
    if (!Array.isArray(interfaces)) return;
    total += interfaces.length;
    if (interfaces.length > MAX_INTERFACES_PER_CONTAINER) {
      const path = join(join('containers', index), 'interfaces');
      report(
        'limit-exceeded',
        path,
        `${path} lists ${interfaces.length} interfaces, more than the ${MAX_INTERFACES_PER_CONTAINER} a container may have: remove some`,
      );
    }
  });
  if (total > MAX_INTERFACES) {
    report('limit-exceeded', 'containers', `containers have ${total} interfaces in all, more than the ${MAX_INTERFACES} a lab may have: remove some`);
  }
}

/** The path of the first mapping or list nested deeper than `max` levels, or undefined. Iterative: no stack to overflow. */
function depthBeyond(root: unknown, max: number): string | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 1 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop() as { value: unknown; path: string; depth: number };
    if (typeof value !== 'object' || value === null) continue;
    if (depth > max) return path;
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
    for (const [key, item] of entries) pending.push({ value: item, path: join(path, key), depth: depth + 1 });
  }
  return undefined;
}

// ---- text shown to people ------------------------------------------------------------------

// Matching control characters is the point of these two expressions.
/** C0 controls but tab and line feed, DEL and C1: they would act on the terminal that prints them. */
// eslint-disable-next-line no-control-regex
const DESCRIPTION_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** A title is one line: no tab or line break either. */
// eslint-disable-next-line no-control-regex
const TITLE_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function readDisplayText(data: Mapping, key: 'title' | 'description', control: RegExp, report: Report): string {
  const text = readText(data, key, '', report);
  if (text === undefined) return '';
  const found = control.exec(text);
  if (found === null) return text;
  const code = `U+${(found[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  const allowed = key === 'description' ? ' (line breaks and tabs are fine)' : '';
  report(
    'control-character',
    key,
    `${key} contains the control character ${code} at position ${found.index + 1}, which would act on the terminal of ` +
      `whoever prints it: remove it${allowed}`,
  );
  return '';
}

// ---- brands: values the checks above have passed ----------------------------------------
// A guard failing here means a check above let a bad value through: a bug, hence a throw.

const nodeName = (name: string): NodeName => mustBe(isNodeName, name, 'a node name');
const ipv4 = (text: string): Ipv4Address => mustBe(isIpv4Address, text, 'an IPv4 address');
const cidrText = (cidr: Cidr): CidrText => mustBe(isCidrText, formatCidr(cidr), 'a subnet');
const mtuOf = (mtu: number): Mtu => mustBe(isMtu, mtu, 'an MTU');
const imageRef = (image: string): ImageReference => mustBe(isImageRef, image, 'an image reference');

// ---- generic field readers -------------------------------------------------------------

function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (isAbsent(value)) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
  return String(value);
}

function join(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}

/** Optional text field: undefined when absent or not text (the latter is reported). */
function readText(parent: Mapping, key: string, base: string, report: Report): string | undefined {
  const value = parent[key];
  const path = join(base, key);
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'string') {
    report('wrong-type', path, `${path} is ${describe(value)} but must be text: put it in quotes`);
    return undefined;
  }
  return value;
}

/** Required text field; `hint` completes "add ...". */
function readRequiredText(parent: Mapping, key: string, base: string, hint: string, report: Report): string | undefined {
  const path = join(base, key);
  if (isAbsent(parent[key])) {
    report('required', path, `${path} is missing: add ${hint}`);
    return undefined;
  }
  return readText(parent, key, base, report);
}

function readName(
  parent: Mapping,
  key: string,
  base: string,
  maxLength: number,
  hint: string,
  report: Report,
): string | undefined {
  const name = readRequiredText(parent, key, base, hint, report);
  if (name === undefined) return undefined;
  const fault = nameFault(name, maxLength);
  if (fault !== undefined) {
    const path = join(base, key);
    report(
      'invalid-name',
      path,
      `${path} ${JSON.stringify(name)} ${fault}: use lowercase letters, digits and '-', starting with a letter, ` +
        `at most ${maxLength} characters, for example ${suggestName(name, maxLength)}`,
    );
    return undefined;
  }
  return name;
}

interface NumberRule {
  code: ProblemCode;
  min: number;
  max: number;
  /** Completes "<path> is N but ... must be": e.g. "a VNI". */
  what: string;
}

/** Whole number field; absent gives undefined (the caller decides between default and 'required'). */
function readWholeNumber(parent: Mapping, key: string, base: string, rule: NumberRule, report: Report): number | undefined {
  const value = parent[key];
  const path = join(base, key);
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'number') {
    report('wrong-type', path, `${path} is ${describe(value)} but must be a number from ${rule.min} to ${rule.max}`);
    return undefined;
  }
  if (!Number.isInteger(value) || value < rule.min || value > rule.max) {
    report(rule.code, path, `${path} is ${value} but ${rule.what} must be a whole number from ${rule.min} to ${rule.max}: pick one in that range`);
    return undefined;
  }
  return value;
}

/** Optional list: absent means empty; anything else but a list is reported. */
function readList(value: unknown, path: string, itemHint: string, report: Report): unknown[] | undefined {
  if (isAbsent(value)) return [];
  if (!Array.isArray(value)) {
    report('wrong-type', path, `${path} is ${describe(value)} but must be a list of ${itemHint}`);
    return undefined;
  }
  return value;
}

function readEntry(value: unknown, path: string, example: string, report: Report): Mapping | undefined {
  if (isMapping(value)) return value;
  report('wrong-type', path, `${path} is ${describe(value)} but must be a mapping like ${example}`);
  return undefined;
}

/** The subnet, or undefined when it is missing or unusable; every fault is reported. */
function readSubnet(parent: Mapping, key: string, base: string, hint: string, report: Report): Cidr | undefined {
  const text = readRequiredText(parent, key, base, hint, report);
  if (text === undefined) return undefined;
  const path = join(base, key);
  const cidr = parseCidr(text);
  if (cidr === undefined) {
    report('invalid-subnet', path, `${path} is ${JSON.stringify(text)}, which is not an IPv4 subnet: write it as address/prefix, for example 10.0.0.0/16`);
    return undefined;
  }
  if (cidr.prefix < MIN_SUBNET_PREFIX || cidr.prefix > MAX_SUBNET_PREFIX) {
    report(
      'invalid-subnet',
      path,
      `${path} is ${text} but the prefix must be from /${MIN_SUBNET_PREFIX} to /${MAX_SUBNET_PREFIX}: ` +
        (cidr.prefix > MAX_SUBNET_PREFIX ? 'a smaller network leaves too few addresses, use a shorter prefix' : 'use a longer prefix'),
    );
    return undefined;
  }
  const special = specialRangeOf(cidr);
  if (special !== undefined) {
    report(
      'subnet-reserved',
      path,
      `${path} ${formatCidr(cidr)} lies in ${special.cidr}, the ${special.name}, which cannot be a lab network: ` +
        'choose a private range such as 192.168.1.0/24, 172.16.0.0/16 or 10.0.0.0/16',
    );
    return undefined;
  }
  if (cidr.hostBitsSet) {
    report(
      'invalid-subnet',
      path,
      `${path} is ${text} but a subnet is written with its network address (host bits zero): write ${formatCidr(cidr)}`,
    );
  }
  // With host bits set the intended network is still clear, so dependent checks go on against it.
  return cidr;
}

const RESERVED_REASON = {
  network: 'the network address',
  broadcast: 'the broadcast address',
} as const;

/**
 * Checks an address against its subnet: valid, inside, not reserved.
 * Returns the address number only if all of that holds (or the subnet is unknown and it is valid).
 */
function checkAddress(
  text: string,
  path: string,
  subnet: Cidr | undefined,
  /** Names the subnet in messages, e.g. "underlay.subnet" or "the subnet of overlay blue". */
  subnetName: string,
  gatewayReason: string,
  report: Report,
): number | undefined {
  const address = parseIPv4(text);
  if (address === undefined) {
    report('invalid-ip', path, `${path} is ${JSON.stringify(text)}, which is not an IPv4 address: write four numbers from 0 to 255 separated by dots, without leading zeros, like 10.0.1.2`);
    return undefined;
  }
  if (subnet === undefined) return address;
  const { first, last } = assignableRange(subnet);
  const choose = `pick an address from ${formatIPv4(first)} to ${formatIPv4(last)}`;
  if (!contains(subnet, address)) {
    report('ip-outside-subnet', path, `${path} ${text} is outside ${subnetName}, ${formatCidr(subnet)}: ${choose}`);
    return undefined;
  }
  const role = reservedRole(subnet, address);
  if (role !== undefined) {
    const why = role === 'gateway' ? gatewayReason : `${RESERVED_REASON[role]} of ${subnetName}, ${formatCidr(subnet)}`;
    report('ip-reserved', path, `${path} ${text} is ${why}, so it cannot be assigned: ${choose}`);
    return undefined;
  }
  return address;
}

// ---- sections ------------------------------------------------------------------------------

function checkVersion(version: unknown, report: Report): void {
  if (version === LAB_FILE_VERSION) return;
  if (isAbsent(version)) {
    report('required', 'version', `version is missing: add version: ${LAB_FILE_VERSION} at the top of the file`);
    return;
  }
  report(
    'unknown-version',
    'version',
    `version is ${describe(version)} but this vxlab reads version ${LAB_FILE_VERSION} lab files: write version: ${LAB_FILE_VERSION}`,
  );
}

interface UnderlayCheck {
  subnet?: Cidr;
  mtu?: number;
  spec?: UnderlaySpec;
}

function checkUnderlay(value: unknown, report: Report): UnderlayCheck {
  if (isAbsent(value)) {
    report('required', 'underlay', 'underlay is missing: add the network the hosts share, for example underlay: { subnet: 192.168.1.0/24 }');
    return {};
  }
  if (!isMapping(value)) {
    report('wrong-type', 'underlay', `underlay is ${describe(value)} but must be a mapping with subnet and, optionally, mtu`);
    return {};
  }
  const subnet = readSubnet(value, 'subnet', 'underlay', 'the network the hosts share, for example subnet: 192.168.1.0/24', report);
  const mtuRule = { code: 'mtu-range', min: MIN_UNDERLAY_MTU, max: MAX_MTU, what: 'an MTU' } as const;
  const mtu = isAbsent(value.mtu) ? DEFAULT_UNDERLAY_MTU : readWholeNumber(value, 'mtu', 'underlay', mtuRule, report);
  const spec = subnet !== undefined && mtu !== undefined ? { subnet: cidrText(subnet), mtu: mtuOf(mtu) } : undefined;
  return { subnet, mtu, spec };
}

function checkHosts(
  value: unknown,
  underlay: UnderlayCheck,
  nodeNames: Map<string, string>,
  report: Report,
): { specs: HostSpec[]; names: Set<string> } {
  const specs: HostSpec[] = [];
  const names = new Set<string>();
  const example = 'hosts: [ { name: host-a, ip: 192.168.1.10 } ]';
  if (isAbsent(value)) {
    report('required', 'hosts', `hosts is missing: add at least one host, for example ${example}`);
    return { specs, names };
  }
  if (Array.isArray(value) && value.length === 0) {
    report('required', 'hosts', `hosts lists no hosts: add at least one, for example ${example}`);
    return { specs, names };
  }
  const entries = readList(value, 'hosts', 'hosts like { name: host-a, ip: 192.168.1.10 }', report) ?? [];
  const addresses = new Map<number, string>();
  entries.forEach((entry, index) => {
    const path = join('hosts', index);
    const host = readEntry(entry, path, '{ name: host-a, ip: 192.168.1.10 }', report);
    if (host === undefined) return;
    const name = readName(host, 'name', path, MAX_NODE_NAME_LENGTH, 'a name for the host, for example name: host-a', report);
    if (name !== undefined) {
      names.add(name);
      claimNodeName(name, join(path, 'name'), path, nodeNames, report);
    }
    const ipText = readRequiredText(host, 'ip', path, "the host's address on the underlay, for example ip: 192.168.1.10", report);
    let ip: number | undefined;
    if (ipText !== undefined) {
      const ipPath = join(path, 'ip');
      ip = checkAddress(
        ipText,
        ipPath,
        underlay.subnet,
        'underlay.subnet',
        'the gateway address Docker takes for the underlay network',
        report,
      );
      if (ip !== undefined) {
        const owner = addresses.get(ip);
        if (owner !== undefined) {
          report('duplicate-ip', ipPath, `${ipPath} ${ipText} is already the address of ${owner}: give each host its own address`);
          ip = undefined;
        } else {
          addresses.set(ip, path);
        }
      }
    }
    if (name !== undefined && ip !== undefined && ipText !== undefined) specs.push({ name: nodeName(name), ip: ipv4(ipText) });
  });
  return { specs, names };
}

/** Hosts and containers share one namespace: both become Docker containers and hostnames. */
function claimNodeName(name: string, path: string, owner: string, nodeNames: Map<string, string>, report: Report): void {
  const first = nodeNames.get(name);
  if (first === undefined) {
    nodeNames.set(name, owner);
    return;
  }
  report(
    'duplicate-name',
    path,
    `${path} ${JSON.stringify(name)} is already the name of ${first}: hosts and containers share one set of names, so pick another`,
  );
}

interface OverlayCheck {
  specs: OverlaySpec[];
  /** First overlay of each name, with its subnet when that is valid. */
  byName: Map<string, { path: string; subnet?: Cidr }>;
}

function checkOverlays(value: unknown, underlay: UnderlayCheck, report: Report): OverlayCheck {
  const specs: OverlaySpec[] = [];
  const byName = new Map<string, { path: string; subnet?: Cidr }>();
  const entries = readList(value, 'overlays', 'overlays like { name: blue, vni: 42, subnet: 10.0.0.0/16 }', report) ?? [];
  const vnis = new Map<number, string>();
  entries.forEach((entry, index) => {
    const path = join('overlays', index);
    const overlay = readEntry(entry, path, '{ name: blue, vni: 42, subnet: 10.0.0.0/16 }', report);
    if (overlay === undefined) return;

    const name = readName(overlay, 'name', path, MAX_NODE_NAME_LENGTH, 'a name for the overlay, for example name: blue', report);
    const subnet = readSubnet(overlay, 'subnet', path, "the overlay's own subnet, for example subnet: 10.0.0.0/16", report);
    if (subnet !== undefined && underlay.subnet !== undefined && overlaps(subnet, underlay.subnet)) {
      const subnetPath = join(path, 'subnet');
      report(
        'subnet-overlap',
        subnetPath,
        `${subnetPath} ${formatCidr(subnet)} overlaps underlay.subnet ${formatCidr(underlay.subnet)}, so a host could not tell ` +
          'whether an address is reached over the underlay or through the overlay: choose a subnet outside the underlay',
      );
    }
    if (name !== undefined) {
      const first = byName.get(name);
      if (first !== undefined) {
        const namePath = join(path, 'name');
        report('duplicate-name', namePath, `${namePath} ${JSON.stringify(name)} is already the name of ${first.path}: give each overlay its own name`);
      } else {
        byName.set(name, { path, subnet });
      }
    }

    const vni = readVni(overlay, path, vnis, report);
    const port = isAbsent(overlay.port)
      ? DEFAULT_VXLAN_PORT
      : readWholeNumber(overlay, 'port', path, { code: 'port-range', min: 1, max: MAX_PORT, what: 'a UDP port' }, report);
    const mtu = readOverlayMtu(overlay, path, underlay.mtu, report);

    if (name !== undefined && vni !== undefined && subnet !== undefined && port !== undefined && mtu !== undefined) {
      specs.push({
        name: nodeName(name),
        vni: mustBe(isVni, vni, 'a VNI'),
        subnet: cidrText(subnet),
        port: mustBe(isUdpPort, port, 'a UDP port'),
        mtu: mtuOf(mtu),
      });
    }
  });
  return { specs, byName };
}

function readVni(overlay: Mapping, base: string, vnis: Map<number, string>, report: Report): number | undefined {
  const path = join(base, 'vni');
  if (isAbsent(overlay.vni)) {
    report('required', path, `${path} is missing: add the VXLAN network identifier, a number from 1 to ${MAX_VNI} such as vni: 42`);
    return undefined;
  }
  const vni = readWholeNumber(overlay, 'vni', base, { code: 'vni-range', min: 1, max: MAX_VNI, what: 'a VNI' }, report);
  if (vni === undefined) return undefined;
  const first = vnis.get(vni);
  if (first !== undefined) {
    report(
      'duplicate-vni',
      path,
      `${path} ${vni} is already the VNI of ${first}: the VNI is what keeps overlays apart on the wire, so give each overlay its own`,
    );
    return undefined;
  }
  vnis.set(vni, base);
  return vni;
}

function readOverlayMtu(overlay: Mapping, base: string, underlayMtu: number | undefined, report: Report): number | undefined {
  const largest = underlayMtu === undefined ? undefined : underlayMtu - VXLAN_OVERHEAD;
  if (isAbsent(overlay.mtu)) return largest;
  const rule = { code: 'mtu-range', min: MIN_OVERLAY_MTU, max: MAX_MTU, what: 'an MTU' } as const;
  const mtu = readWholeNumber(overlay, 'mtu', base, rule, report);
  if (mtu === undefined || largest === undefined) return undefined;
  if (mtu > largest) {
    const path = join(base, 'mtu');
    report(
      'mtu-too-large',
      path,
      `${path} is ${mtu} but VXLAN adds ${VXLAN_OVERHEAD} bytes to every frame, so an overlay on an underlay of MTU ${underlayMtu} ` +
        `can carry at most ${largest}: lower the overlay mtu or raise underlay.mtu`,
    );
    return undefined;
  }
  return mtu;
}

function checkContainers(
  value: unknown,
  hostNames: Set<string>,
  overlays: OverlayCheck,
  nodeNames: Map<string, string>,
  report: Report,
): ContainerSpec[] {
  const specs: ContainerSpec[] = [];
  const entries = readList(value, 'containers', 'containers like { name: container1, host: host-a, interfaces: [] }', report) ?? [];
  /** Per overlay name: address -> path of the interface that has it. */
  const addressesByOverlay = new Map<string, Map<number, string>>();
  entries.forEach((entry, index) => {
    const path = join('containers', index);
    const container = readEntry(entry, path, '{ name: container1, host: host-a, interfaces: [] }', report);
    if (container === undefined) return;

    const name = readName(container, 'name', path, MAX_NODE_NAME_LENGTH, 'a name for the container, for example name: container1', report);
    if (name !== undefined) claimNodeName(name, join(path, 'name'), path, nodeNames, report);

    const host = readRequiredText(container, 'host', path, 'the name of the host it runs on, for example host: host-a', report);
    const hostKnown = host !== undefined && hostNames.has(host);
    if (host !== undefined && !hostKnown) {
      const hostPath = join(path, 'host');
      report('unknown-host', hostPath, `${hostPath} is ${JSON.stringify(host)} but no host has that name: ${choiceOf('host', hostNames)}`);
    }

    const image = readText(container, 'image', path, report);
    const imageOk = image === undefined || checkImage(image, join(path, 'image'), report);

    const interfaces = checkInterfaces(container.interfaces, path, overlays, addressesByOverlay, report);
    if (name !== undefined && host !== undefined && hostKnown && imageOk && interfaces !== undefined) {
      specs.push({ name: nodeName(name), host: nodeName(host), ...(image === undefined ? {} : { image: imageRef(image) }), interfaces });
    }
  });
  return specs;
}

function checkImage(image: string, path: string, report: Report): boolean {
  if (image.trim() === '') {
    report('wrong-type', path, `${path} is empty: name an image, or remove the field to use the vxlab node image`);
    return false;
  }
  const fault = imageReferenceFault(image);
  if (fault === undefined) return true;
  report('invalid-image', path, `${path} ${quoteShort(image)} ${fault}, so it is not a Docker image reference: write ${IMAGE_REFERENCE_FORM}`);
  return false;
}

/** JSON-quoted, and cut short so a huge value cannot make a huge message. */
function quoteShort(text: string, max = 80): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** "use one of a, b, c, d, e and 37 more": a few names, never the whole list (and never a walk of it). */
function choiceOf(kind: string, names: ReadonlySet<string> | ReadonlyMap<string, unknown>): string {
  if (names.size === 0) return `add the ${kind} under ${kind}s first`;
  return `use one of ${listSome(names.keys(), names.size)}`;
}

function checkInterfaces(
  value: unknown,
  base: string,
  overlays: OverlayCheck,
  addressesByOverlay: Map<string, Map<number, string>>,
  report: Report,
): Interface[] | undefined {
  const listPath = join(base, 'interfaces');
  const entries = readList(value, listPath, 'interfaces like { overlay: blue, ip: 10.0.1.2 }', report);
  if (entries === undefined) return undefined;
  const specs: Interface[] = [];
  const overlaysUsed = new Set<string>();
  let allValid = true;
  entries.forEach((entry, index) => {
    const path = join(listPath, index);
    const iface = readEntry(entry, path, '{ overlay: blue, ip: 10.0.1.2 }', report);
    if (iface === undefined) {
      allValid = false;
      return;
    }
    const overlayName = readRequiredText(iface, 'overlay', path, 'the name of the overlay it joins, for example overlay: blue', report);
    const overlay = overlayName === undefined ? undefined : overlays.byName.get(overlayName);
    const overlayPath = join(path, 'overlay');
    if (overlayName !== undefined && overlay === undefined) {
      report(
        'unknown-overlay',
        overlayPath,
        `${overlayPath} is ${JSON.stringify(overlayName)} but no overlay has that name: ${choiceOf('overlay', overlays.byName)}`,
      );
    }
    let overlayOk = overlay !== undefined;
    if (overlayName !== undefined && overlay !== undefined) {
      if (overlaysUsed.has(overlayName)) {
        report(
          'duplicate-interface-overlay',
          overlayPath,
          `${overlayPath} joins overlay ${overlayName} a second time, but a container has at most one interface per overlay: remove one of them`,
        );
        overlayOk = false;
      }
      overlaysUsed.add(overlayName);
    }

    const ipText = readRequiredText(iface, 'ip', path, "the interface's address in the overlay subnet, for example ip: 10.0.1.2", report);
    let ip: number | undefined;
    if (ipText !== undefined) {
      const ipPath = join(path, 'ip');
      ip = checkAddress(
        ipText,
        ipPath,
        overlay?.subnet,
        `the subnet of overlay ${overlayName ?? ''}`,
        `the address reserved for the overlay's gateway`,
        report,
      );
      // Uniqueness is per overlay: two tenants' overlays may reuse the same subnet and addresses.
      if (ip !== undefined && overlayName !== undefined && overlay !== undefined) {
        const taken = addressesByOverlay.get(overlayName) ?? new Map<number, string>();
        addressesByOverlay.set(overlayName, taken);
        const owner = taken.get(ip);
        if (owner !== undefined) {
          report(
            'duplicate-ip',
            ipPath,
            `${ipPath} ${ipText} is already used on overlay ${overlayName} by ${owner}: give each interface on an overlay its own address`,
          );
          ip = undefined;
        } else {
          taken.set(ip, path);
        }
      }
    }
    if (overlayName !== undefined && overlayOk && ipText !== undefined && ip !== undefined) {
      specs.push({ overlay: nodeName(overlayName), ip: ipv4(ipText) });
    } else {
      allValid = false;
    }
  });
  return allValid ? specs : undefined;
}

function checkLayout(value: unknown, report: Report): Record<string, unknown> | undefined {
  if (isAbsent(value)) return {};
  if (!isMapping(value)) {
    report('wrong-type', 'layout', `layout is ${describe(value)} but must be a mapping: remove it and vxlab will lay the lab out again`);
    return undefined;
  }
  return copyPlain(value) as Record<string, unknown>;
}

/** Deep copy of plain data, so the lab never shares objects with its input. */
function copyPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyPlain);
  if (isMapping(value) && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copyPlain(item)]));
  }
  return value;
}

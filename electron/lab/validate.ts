// Checks a lab (as plain data, e.g. from YAML) and fills in defaults.
// The limits come first; then the schema (schema.ts) checks every field on its own; then the
// rules between fields (addresses in their subnet, overlaps, unique names and numbers,
// references) run here on the fields the schema passed. Every problem is reported at once,
// in file order; checks that depend on a broken or unknown value are skipped.

import { assignableRange, contains, formatCidr, formatIPv4, overlaps, parseCidr, parseIPv4, reservedRole } from './addressing.js';
import type { Cidr } from './addressing.js';
import { isCidrText, isImageRef, isIpv4Address, isLabName, isMtu, isNodeName, isUdpPort, isVni, mustBe } from './brands.js';
import type { CidrText, ImageReference, Ipv4Address, Mtu, NodeName } from './brands.js';
import {
  MAX_CONTAINERS,
  MAX_HOSTS,
  MAX_INTERFACES,
  MAX_INTERFACES_PER_CONTAINER,
  MAX_OVERLAYS,
  MAX_YAML_DEPTH,
  capProblems,
  listSome,
} from './limits.js';
import { DEFAULT_UNDERLAY_MTU, DEFAULT_VXLAN_PORT, LAB_FILE_VERSION, VXLAN_OVERHEAD } from './model.js';
import type { ContainerSpec, HostSpec, Interface, Lab, LabResult, OverlaySpec, Problem, ProblemCode } from './model.js';
import { checkObjectives } from './objective-rules.js';
import { labFileSchema } from './schema.js';
import type { IssueParams } from './schema.js';
import { joinPath, pathText, splitProblemPath } from './problem-path.js';
import { describeValue, problemOfIssue } from './schema-problems.js';

export { MAX_MTU, MAX_PORT, MAX_SUBNET_PREFIX, MIN_OVERLAY_MTU, MIN_SUBNET_PREFIX, MIN_UNDERLAY_MTU } from './schema.js';

type Mapping = Record<string, unknown>;
type Report = (code: ProblemCode, path: string, message: string) => void;

export function validateLab(data: unknown): LabResult {
  if (isAbsent(data)) {
    return fail([{ code: 'required', path: '', message: 'The lab file is empty: it needs at least version, name, underlay and hosts' }]);
  }
  if (!isMapping(data)) {
    return fail([
      { code: 'wrong-type', path: '', message: `The lab file is ${describeValue(data)} but must be a mapping with version, name, underlay and hosts` },
    ]);
  }
  // Sizes first, so no later check works through more than a lab can hold.
  const overLimit = checkLimits(data);
  if (overLimit.length > 0) return fail(capProblems(overLimit));

  const file = withoutEmptyFields(data);
  const problems: Problem[] = [];
  /** Paths of values the schema refused: the rules between fields leave them alone. */
  const refused = new Set<string>();
  const parsed = labFileSchema.safeParse(file);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(problemOfIssue(issue, file, labFileSchema));
      const params = issue.code === 'custom' ? (issue.params as IssueParams | undefined) : undefined;
      if (!params?.usable) refused.add(pathText(issue.path));
    }
  }
  const lab = checkBetweenFields(file, new Fields(refused), (code, path, message) => problems.push({ code, path, message }));
  if (problems.length > 0 || lab === undefined) return fail(capProblems(inFileOrder(problems, data)));
  return { ok: true, lab };
}

function fail(problems: Problem[]): LabResult {
  return { ok: false, problems };
}

// ---- plain data ----------------------------------------------------------------------------

function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}


/**
 * A deep copy in which a field with no value (`title:` in YAML) is absent, as if not written.
 * The layout is copied as it is. The depth was bounded by checkLimits.
 */
function withoutEmptyFields(data: Mapping): Mapping {
  const copy = (value: unknown, keepEmpty: boolean): unknown => {
    if (Array.isArray(value)) return value.map((item) => copy(item, keepEmpty));
    if (!isMapping(value)) return value;
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return value;
    const result: Mapping = {};
    for (const [key, item] of Object.entries(value)) {
      if (!keepEmpty && isAbsent(item)) continue;
      setOwn(result, key, copy(item, keepEmpty));
    }
    return result;
  };
  const result: Mapping = {};
  for (const [key, item] of Object.entries(data)) {
    if (isAbsent(item)) continue;
    setOwn(result, key, copy(item, key === 'layout'));
  }
  return result;
}

/** `target[key] = value`, except that a key `__proto__` stays a plain field instead of setting the prototype. */
function setOwn(target: Mapping, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Sorts problems by where they are in the file: keys in the order the file writes them,
 * list entries by index, a missing field first (it is shown where its mapping starts).
 * Stable, so problems of one field keep the order they were found in.
 */
function inFileOrder(problems: Problem[], file: Mapping): Problem[] {
  const keyOrder = new Map<object, Map<string, number>>();
  const rankOf = (parent: unknown, segment: string | number): number => {
    if (typeof segment === 'number') return segment;
    if (!isMapping(parent)) return -1;
    let order = keyOrder.get(parent);
    if (order === undefined) {
      order = new Map(Object.keys(parent).map((key, index) => [key, index]));
      keyOrder.set(parent, order);
    }
    return order.get(segment) ?? -1;
  };
  const keyed = problems.map((problem, index) => {
    const ranks: number[] = [];
    let value: unknown = file;
    for (const segment of splitProblemPath(problem.path)) {
      ranks.push(rankOf(value, segment));
      value = typeof value === 'object' && value !== null ? (value as Record<string | number, unknown>)[segment] : undefined;
    }
    return { problem, ranks, index };
  });
  keyed.sort((a, b) => {
    for (let i = 0; i < Math.min(a.ranks.length, b.ranks.length); i++) {
      const difference = (a.ranks[i] ?? 0) - (b.ranks[i] ?? 0);
      if (difference !== 0) return difference;
    }
    return a.ranks.length - b.ranks.length || a.index - b.index;
  });
  return keyed.map((entry) => entry.problem);
}

// ---- limits ----------------------------------------------------------------------------------

function checkLimits(data: Mapping): Problem[] {
  const problems: Problem[] = [];
  const report: Report = (code, path, message) => problems.push({ code, path, message });
  const depth = depthBeyond(data, MAX_YAML_DEPTH);
  if (depth !== undefined) {
    report('limit-exceeded', depth, `${depth} is nested deeper than the ${MAX_YAML_DEPTH} levels a lab file may have: flatten it`);
    return problems;
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
  if (!Array.isArray(containers) || containers.length > MAX_CONTAINERS) return problems;
  let total = 0;
  containers.forEach((container, index) => {
    const interfaces = isMapping(container) ? container.interfaces : undefined;
    if (!Array.isArray(interfaces)) return;
    total += interfaces.length;
    if (interfaces.length > MAX_INTERFACES_PER_CONTAINER) {
      const path = joinPath(joinPath('containers', index), 'interfaces');
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
  return problems;
}

/** The path of the first mapping or list nested deeper than `max` levels, or undefined. Iterative: no stack to overflow. */
function depthBeyond(root: unknown, max: number): string | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 1 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop() as { value: unknown; path: string; depth: number };
    if (typeof value !== 'object' || value === null) continue;
    if (depth > max) return path;
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
    for (const [key, item] of entries) pending.push({ value: item, path: joinPath(path, key), depth: depth + 1 });
  }
  return undefined;
}

// ---- reading fields the schema passed --------------------------------------------------------

/** Values of the lab file the schema did not refuse, read with their type checked once more. */
class Fields {
  constructor(private readonly refused: ReadonlySet<string>) {}

  ok(path: string): boolean {
    return !this.refused.has(path);
  }

  text(entry: Mapping, base: string, key: string): string | undefined {
    const value = entry[key];
    return typeof value === 'string' && this.ok(joinPath(base, key)) ? value : undefined;
  }

  number(entry: Mapping, base: string, key: string): number | undefined {
    const value = entry[key];
    return typeof value === 'number' && this.ok(joinPath(base, key)) ? value : undefined;
  }

  /** Entries of a list, each with its path; none when the list is absent or refused. */
  entries(parent: Mapping, base: string, key: string): { entry: Mapping; path: string }[] {
    const list = parent[key];
    const listPath = joinPath(base, key);
    if (!Array.isArray(list) || !this.ok(listPath)) return [];
    const result: { entry: Mapping; path: string }[] = [];
    list.forEach((entry, index) => {
      const path = joinPath(listPath, index);
      if (isMapping(entry) && this.ok(path)) result.push({ entry, path });
    });
    return result;
  }

  subnet(entry: Mapping, base: string, key: string): Cidr | undefined {
    const text = this.text(entry, base, key);
    return text === undefined ? undefined : parseCidr(text);
  }
}

// ---- brands: values the checks have passed -------------------------------------------------
// A guard failing here means a check let a bad value through: a bug, hence a throw.

const nodeName = (name: string): NodeName => mustBe(isNodeName, name, 'a node name');
const ipv4 = (text: string): Ipv4Address => mustBe(isIpv4Address, text, 'an IPv4 address');
const cidrText = (cidr: Cidr): CidrText => mustBe(isCidrText, formatCidr(cidr), 'a subnet');
const mtuOf = (mtu: number): Mtu => mustBe(isMtu, mtu, 'an MTU');
const imageRef = (image: string): ImageReference => mustBe(isImageRef, image, 'an image reference');

// ---- rules between fields --------------------------------------------------------------------

/** The lab, when the fields it needs are all valid; problems between fields go to `report`. */
function checkBetweenFields(file: Mapping, fields: Fields, report: Report): Lab | undefined {
  const name = fields.text(file, '', 'name');
  const underlay = readUnderlay(file, fields);
  const nodeNames = new Map<string, string>();
  const hosts = checkHosts(file, underlay, fields, nodeNames, report);
  const overlays = checkOverlays(file, underlay, fields, report);
  const containers = checkContainers(file, hosts.names, overlays, fields, nodeNames, report);
  const layout = file.layout === undefined ? {} : isMapping(file.layout) ? file.layout : undefined;
  const containerNames = new Set([...nodeNames].filter(([, owner]) => owner.startsWith('containers')).map(([nodeName]) => nodeName));
  const objectives = checkObjectives(file, { hosts: hosts.names, containers: containerNames }, (path) => fields.ok(path), report);

  if (name === undefined || underlay.subnet === undefined || underlay.mtu === undefined || layout === undefined) return undefined;
  if (objectives === 'invalid') return undefined;
  const text = (key: 'title' | 'description'): string => fields.text(file, '', key) ?? '';
  return {
    version: LAB_FILE_VERSION,
    name: mustBe(isLabName, name, 'a lab name'),
    title: text('title'),
    description: text('description'),
    underlay: { subnet: cidrText(underlay.subnet), mtu: mtuOf(underlay.mtu) },
    hosts: hosts.specs,
    overlays: overlays.specs,
    containers,
    layout,
    ...(objectives === undefined ? {} : { objectives }),
  };
}

interface Underlay {
  subnet?: Cidr;
  mtu?: number;
}

function readUnderlay(file: Mapping, fields: Fields): Underlay {
  const underlay = file.underlay;
  if (!isMapping(underlay) || !fields.ok('underlay')) return {};
  const mtu = underlay.mtu === undefined ? DEFAULT_UNDERLAY_MTU : fields.number(underlay, 'underlay', 'mtu');
  return { subnet: fields.subnet(underlay, 'underlay', 'subnet'), mtu };
}

const RESERVED_REASON = {
  network: 'the network address',
  broadcast: 'the broadcast address',
} as const;

/**
 * Checks an address against its subnet: inside, not reserved.
 * Returns the address number only if that holds (or the subnet is unknown).
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
  if (address === undefined || subnet === undefined) return address;
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

/** Hosts and containers share one namespace: both become Docker containers and hostnames. */
function claimNodeName(name: string, path: string, owner: string, nodeNames: Map<string, string>, report: Report): boolean {
  const first = nodeNames.get(name);
  if (first === undefined) {
    nodeNames.set(name, owner);
    return true;
  }
  report(
    'duplicate-name',
    path,
    `${path} ${JSON.stringify(name)} is already the name of ${first}: hosts and containers share one set of names, so pick another`,
  );
  return false;
}

function checkHosts(
  file: Mapping,
  underlay: Underlay,
  fields: Fields,
  nodeNames: Map<string, string>,
  report: Report,
): { specs: HostSpec[]; names: Set<string> } {
  const specs: HostSpec[] = [];
  const names = new Set<string>();
  const addresses = new Map<number, string>();
  for (const { entry, path } of fields.entries(file, '', 'hosts')) {
    const name = fields.text(entry, path, 'name');
    if (name !== undefined) {
      names.add(name);
      claimNodeName(name, joinPath(path, 'name'), path, nodeNames, report);
    }
    const ipText = fields.text(entry, path, 'ip');
    let ip: number | undefined;
    if (ipText !== undefined) {
      const ipPath = joinPath(path, 'ip');
      ip = checkAddress(ipText, ipPath, underlay.subnet, 'underlay.subnet', 'the gateway address Docker takes for the underlay network', report);
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
  }
  return { specs, names };
}

interface OverlayCheck {
  specs: OverlaySpec[];
  /** First overlay of each name, with its subnet when that is valid. */
  byName: Map<string, { path: string; subnet?: Cidr }>;
}

function checkOverlays(file: Mapping, underlay: Underlay, fields: Fields, report: Report): OverlayCheck {
  const specs: OverlaySpec[] = [];
  const byName = new Map<string, { path: string; subnet?: Cidr }>();
  const vnis = new Map<number, string>();
  for (const { entry, path } of fields.entries(file, '', 'overlays')) {
    const name = fields.text(entry, path, 'name');
    const subnet = fields.subnet(entry, path, 'subnet');
    if (subnet !== undefined && underlay.subnet !== undefined && overlaps(subnet, underlay.subnet)) {
      const subnetPath = joinPath(path, 'subnet');
      report(
        'subnet-overlap',
        subnetPath,
        `${subnetPath} ${formatCidr(subnet)} overlaps underlay.subnet ${formatCidr(underlay.subnet)}, so a host could not tell ` +
          'whether an address is reached over the underlay or through the overlay: choose a subnet outside the underlay',
      );
    }
    let nameOk = name !== undefined;
    if (name !== undefined) {
      const first = byName.get(name);
      if (first !== undefined) {
        const namePath = joinPath(path, 'name');
        report('duplicate-name', namePath, `${namePath} ${JSON.stringify(name)} is already the name of ${first.path}: give each overlay its own name`);
        nameOk = false;
      } else {
        byName.set(name, { path, subnet });
      }
    }

    const vni = checkVni(entry, path, fields, vnis, report);
    const port = entry.port === undefined ? DEFAULT_VXLAN_PORT : fields.number(entry, path, 'port');
    const mtu = checkOverlayMtu(entry, path, fields, underlay.mtu, report);

    if (name !== undefined && nameOk && vni !== undefined && subnet !== undefined && port !== undefined && mtu !== undefined) {
      specs.push({
        name: nodeName(name),
        vni: mustBe(isVni, vni, 'a VNI'),
        subnet: cidrText(subnet),
        port: mustBe(isUdpPort, port, 'a UDP port'),
        mtu: mtuOf(mtu),
      });
    }
  }
  return { specs, byName };
}

function checkVni(overlay: Mapping, base: string, fields: Fields, vnis: Map<number, string>, report: Report): number | undefined {
  const vni = fields.number(overlay, base, 'vni');
  if (vni === undefined) return undefined;
  const first = vnis.get(vni);
  if (first !== undefined) {
    const path = joinPath(base, 'vni');
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

function checkOverlayMtu(overlay: Mapping, base: string, fields: Fields, underlayMtu: number | undefined, report: Report): number | undefined {
  const largest = underlayMtu === undefined ? undefined : underlayMtu - VXLAN_OVERHEAD;
  if (overlay.mtu === undefined) return largest;
  const mtu = fields.number(overlay, base, 'mtu');
  if (mtu === undefined || largest === undefined) return undefined;
  if (mtu > largest) {
    const path = joinPath(base, 'mtu');
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
  file: Mapping,
  hostNames: ReadonlySet<string>,
  overlays: OverlayCheck,
  fields: Fields,
  nodeNames: Map<string, string>,
  report: Report,
): ContainerSpec[] {
  const specs: ContainerSpec[] = [];
  /** Per overlay name: address -> path of the interface that has it. */
  const addressesByOverlay = new Map<string, Map<number, string>>();
  for (const { entry, path } of fields.entries(file, '', 'containers')) {
    const name = fields.text(entry, path, 'name');
    const nameOk = name !== undefined && claimNodeName(name, joinPath(path, 'name'), path, nodeNames, report);

    const host = fields.text(entry, path, 'host');
    const hostKnown = host !== undefined && hostNames.has(host);
    if (host !== undefined && !hostKnown) {
      const hostPath = joinPath(path, 'host');
      report('unknown-host', hostPath, `${hostPath} is ${JSON.stringify(host)} but no host has that name: ${choiceOf('host', hostNames)}`);
    }

    const image = fields.text(entry, path, 'image');
    const imageOk = entry.image === undefined || image !== undefined;
    const interfaces = checkInterfaces(entry, path, overlays, fields, addressesByOverlay, report);
    if (name !== undefined && nameOk && host !== undefined && hostKnown && imageOk && interfaces !== undefined) {
      specs.push({ name: nodeName(name), host: nodeName(host), ...(image === undefined ? {} : { image: imageRef(image) }), interfaces });
    }
  }
  return specs;
}

/** "use one of a, b, c, d, e and 37 more": a few names, never the whole list (and never a walk of it). */
function choiceOf(kind: string, names: ReadonlySet<string> | ReadonlyMap<string, unknown>): string {
  if (names.size === 0) return `add the ${kind} under ${kind}s first`;
  return `use one of ${listSome(names.keys(), names.size)}`;
}

function checkInterfaces(
  container: Mapping,
  base: string,
  overlays: OverlayCheck,
  fields: Fields,
  addressesByOverlay: Map<string, Map<number, string>>,
  report: Report,
): Interface[] | undefined {
  const listPath = joinPath(base, 'interfaces');
  const list = container.interfaces;
  if (list !== undefined && (!Array.isArray(list) || !fields.ok(listPath))) return undefined;
  const entries = fields.entries(container, base, 'interfaces');
  const specs: Interface[] = [];
  const overlaysUsed = new Set<string>();
  let allValid = entries.length === (Array.isArray(list) ? list.length : 0);
  for (const { entry, path } of entries) {
    const overlayName = fields.text(entry, path, 'overlay');
    const overlay = overlayName === undefined ? undefined : overlays.byName.get(overlayName);
    const overlayPath = joinPath(path, 'overlay');
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

    const ipText = fields.text(entry, path, 'ip');
    let ip: number | undefined;
    if (ipText !== undefined) {
      const ipPath = joinPath(path, 'ip');
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
  }
  return allValid ? specs : undefined;
}

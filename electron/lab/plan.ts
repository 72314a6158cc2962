// From a validated lab to what each host must hold, and from "what runs now" plus
// "what the file says" to the steps that converge one into the other. Pure: the
// engine observes and acts, this module only decides.
import type { ContainerSpec, Lab, OverlaySpec } from './model.js';
import type { ImageReference, Ipv4Address, Mtu, NodeName, UdpPort, Vni } from './brands.js';
import { specHash } from './spec-hash.js';
import { toCidr } from './addressing.js';
import { overlayMembership, peersOnOverlay } from './overlay-membership.js';
import { bridgeName, containerInterfaceName, hostVethName, vxlanDeviceName } from './naming.js';
import type { DeviceName } from './naming.js';

// Wiring is what host scripts are made of: its names, addresses and numbers carry the
// brands that only validation (brands.ts) and the naming module make.
export interface TunnelWiring {
  overlay: NodeName;
  vni: Vni;
  port: UdpPort;
  mtu: Mtu;
  /** Linux bridge the overlay's containers and its VXLAN device hang off. */
  bridge: DeviceName;
  /** The VXLAN device (the VTEP) of this overlay on this host. */
  device: DeviceName;
  localIp: Ipv4Address;
  /** Underlay IPs of the other hosts on this overlay: one flood entry each. */
  peers: Ipv4Address[];
}

export interface InterfaceWiring {
  /** Name inside the container: eth0, eth1, ... in the file's order. */
  name: DeviceName;
  overlay: NodeName;
  bridge: DeviceName;
  /** Address with prefix length, e.g. 10.0.1.2/16. */
  address: string;
  mac: string;
  /** The host's end of the veth pair, a port of the overlay's bridge. */
  hostVeth: DeviceName;
  mtu: Mtu;
}

export interface ContainerWiring {
  name: NodeName;
  /** Absent: the default node image. */
  image?: ImageReference;
  interfaces: InterfaceWiring[];
  spec: string;
}

export interface HostWiring {
  host: NodeName;
  ip: Ipv4Address;
  overlays: TunnelWiring[];
  containers: ContainerWiring[];
  /** Changes only when the host container itself must be made anew. */
  spec: string;
}

// Device names come from the one naming module; re-exported for existing importers.
export { bridgeName, hostVethName, vxlanDeviceName } from './naming.js';

/** A stable, locally administered unicast MAC, so tables read the same on every run. */
export function interfaceMac(lab: string, container: string, index: number): string {
  const hex = specHash([lab, container, index]).slice(0, 10);
  const bytes = ['02', ...(hex.match(/../g) ?? [])];
  return bytes.join(':');
}

/** The overlays a host takes part in, by the rule in overlay-membership.ts. */
export function overlaysOnHost(lab: Lab, host: string, membership = overlayMembership(lab)): OverlaySpec[] {
  return lab.overlays.filter((o) => membership.get(o.name)?.some((h) => h.name === host));
}

export function hostSpec(lab: Lab, host: string, hostImage = ''): string {
  const spec = lab.hosts.find((h) => h.name === host);
  return specHash({ ip: spec?.ip, underlay: lab.underlay, hostImage });
}

export function containerSpec(lab: Lab, container: ContainerSpec, nodeImage = ''): string {
  return specHash({ image: container.image ?? nodeImage, wiring: interfacesOf(lab, container) });
}

function interfacesOf(lab: Lab, container: ContainerSpec): InterfaceWiring[] {
  return container.interfaces.map((attachment, index) => {
    const overlay = lab.overlays.find((o) => o.name === attachment.overlay);
    if (!overlay) throw new Error(`container ${container.name} names unknown overlay ${attachment.overlay}`);
    return {
      name: containerInterfaceName(index),
      overlay: overlay.name,
      bridge: bridgeName(overlay.vni),
      address: `${attachment.ip}/${toCidr(overlay.subnet).prefix}`,
      mac: interfaceMac(lab.name, container.name, index),
      hostVeth: hostVethName(container.name, index),
      mtu: overlay.mtu,
    };
  });
}

export interface ImageRefs {
  host: string;
  node: string;
}

/** What every host of the lab must hold, in the order of the file. */
export function planWiring(lab: Lab, images: ImageRefs = { host: '', node: '' }): HostWiring[] {
  const membership = overlayMembership(lab);
  return lab.hosts.map((host) => {
    const overlays = overlaysOnHost(lab, host.name, membership).map((overlay) => ({
      overlay: overlay.name,
      vni: overlay.vni,
      port: overlay.port,
      mtu: overlay.mtu,
      bridge: bridgeName(overlay.vni),
      device: vxlanDeviceName(overlay.vni),
      localIp: host.ip,
      peers: peersOnOverlay(membership, overlay.name, host.name).map((peer) => peer.ip),
    }));
    const containers = lab.containers
      .filter((c) => c.host === host.name)
      .map((c) => ({
        name: c.name,
        image: c.image,
        interfaces: interfacesOf(lab, c),
        spec: containerSpec(lab, c, images.node),
      }));
    return { host: host.name, ip: host.ip, overlays, containers, spec: hostSpec(lab, host.name, images.host) };
  });
}

/** What the engine found running for a lab. */
export interface ObservedLab {
  underlay?: { spec: string };
  hosts: { name: string; spec: string; running: boolean }[];
  /** Containers inside the hosts; only for hosts that are running. */
  containers: { host: string; name: string; spec: string; running: boolean }[];
}

export interface UpPlan {
  /** The underlay network must be (re)made; every host goes with it. */
  recreateUnderlay: boolean;
  removeHosts: string[];
  createHosts: string[];
  removeContainers: { host: string; name: string }[];
  createContainers: { host: string; name: string }[];
}

export function underlaySpec(lab: Lab): string {
  return specHash(lab.underlay);
}

/**
 * The steps that take a lab from `observed` to `wiring`. A host or container whose
 * spec changed is removed and made anew; one that stopped is made anew too, since
 * its wiring died with it. Overlays and FDB entries are rewritten on every host
 * every time (they are cheap and idempotent), so they are not listed here.
 */
export function planUp(lab: Lab, wiring: HostWiring[], observed: ObservedLab): UpPlan {
  const recreateUnderlay = observed.underlay !== undefined && observed.underlay.spec !== underlaySpec(lab);
  const desiredHosts = new Map<string, HostWiring>(wiring.map((h) => [h.host, h]));
  const keptHosts = new Set<string>();
  const removeHosts: string[] = [];
  for (const host of observed.hosts) {
    const desired = desiredHosts.get(host.name);
    if (!recreateUnderlay && desired && desired.spec === host.spec && host.running) keptHosts.add(host.name);
    else removeHosts.push(host.name);
  }
  const createHosts = wiring.map((h) => h.host).filter((name) => !keptHosts.has(name));

  const removeContainers: { host: string; name: string }[] = [];
  const keptContainers = new Set<string>();
  for (const container of observed.containers) {
    if (!keptHosts.has(container.host)) continue; // goes with its host
    const desired = desiredHosts.get(container.host)?.containers.find((c) => c.name === container.name);
    if (desired && desired.spec === container.spec && container.running) keptContainers.add(`${container.host}/${container.name}`);
    else removeContainers.push({ host: container.host, name: container.name });
  }
  const createContainers = wiring.flatMap((h) =>
    h.containers.filter((c) => !keptContainers.has(`${h.host}/${c.name}`)).map((c) => ({ host: h.host, name: c.name })),
  );
  return { recreateUnderlay, removeHosts, createHosts, removeContainers, createContainers };
}

export function isEmptyPlan(plan: UpPlan): boolean {
  return (
    !plan.recreateUnderlay &&
    plan.removeHosts.length === 0 &&
    plan.createHosts.length === 0 &&
    plan.removeContainers.length === 0 &&
    plan.createContainers.length === 0
  );
}

// Every name vxlab gives a Docker object or a Linux device, in one place: the plan, the
// engine, the scripts run in hosts and the views that read devices back all agree on
// them, and a rename happens here or nowhere. Pure, so the editor may use it too.
import type { Brand, Vni } from './brands.js';
import { specHash } from './spec-hash.js';

/**
 * The name of a Linux network device that vxlab makes: at most 15 bytes of letters, digits
 * and '-', built here from checked parts (VNIs, hashes, indexes), so it never needs a check
 * of its own and only this module makes one.
 */
export type DeviceName = Brand<string, 'DeviceName'>;

function deviceName(name: string): DeviceName {
  return name as DeviceName;
}

/** Linux limits device names to IFNAMSIZ - 1 = 15 bytes. */
export const MAX_DEVICE_NAME_LENGTH = 15;

/** The underlay interface inside every host: the only network a host container has. */
export const UNDERLAY_DEVICE = deviceName('eth0');

/** Every overlay bridge vxlab makes in a host starts with this; nothing else there does. */
export const OVERLAY_BRIDGE_PREFIX = 'vxbr';

/** The Linux bridge in a host that an overlay's containers and VXLAN device hang off. */
export function bridgeName(vni: Vni): DeviceName {
  return deviceName(`${OVERLAY_BRIDGE_PREFIX}${vni}`);
}

/** Whether a bridge in a host is one vxlab made for an overlay. */
export function isOverlayBridgeName(device: string): boolean {
  return device.startsWith(OVERLAY_BRIDGE_PREFIX) && /^[0-9]+$/.test(device.slice(OVERLAY_BRIDGE_PREFIX.length));
}

/** The VXLAN device (the VTEP) of an overlay in a host. */
export function vxlanDeviceName(vni: Vni): DeviceName {
  return deviceName(`vxlan${vni}`);
}

/** Host-side veth names must fit IFNAMSIZ (15) and be unique within a host. */
export function hostVethName(container: string, index: number): DeviceName {
  return deviceName(`ve${specHash([container]).slice(0, 8)}i${index}`);
}

/** A container's interfaces are eth0, eth1, ... in the order of the lab file. */
export function containerInterfaceName(index: number): DeviceName {
  return deviceName(`eth${index}`);
}

/** The Docker container that is a lab's host. */
export function hostContainerName(lab: string, host: string): string {
  return `${lab}-${host}`;
}

/** The volume that holds a host's inner engine (/var/lib/docker). */
export function hostVolumeName(lab: string, host: string): string {
  return `${lab}-${host}-docker`;
}

/** The lab's internal Docker network the hosts sit on. */
export function underlayNetworkName(lab: string): string {
  return `${lab}-underlay`;
}

/** The Linux bridge behind the underlay network; named by vxlab so routes can be told apart. */
export function underlayBridgeName(lab: string): DeviceName {
  return deviceName(`vxu-${specHash([lab]).slice(0, 8)}`);
}

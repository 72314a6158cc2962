// `vxlab break`: a catalogue of VXLAN faults injected inside one host with the same
// `ip link` / `bridge fdb` commands a person would type. A remade device carries no
// alias, so `vxlab up` (host-scripts.ts, which compares the alias) makes it anew:
// every fault of the tables is healed by converging, and so is an MTU black hole (the
// container wiring sets the overlay's MTU again). Loss on the underlay is a link fault
// made with `vxlab link` (link-faults.ts): `up` keeps those, since they are set on
// purpose, and the doctor's fix says how to clear it.
import type { HostWiring, TunnelWiring } from '../lab/plan.js';
import { planWiring } from '../lab/plan.js';
import { EngineError } from './errors.js';
import { runScript } from './exec.js';
import { UNDERLAY_DEVICE } from './host-scripts.js';
import type { LabEngine } from './lab-engine.js';
import { applyLinkRequest } from './link-faults.js';
import type { ShellFragment } from './shell-script.js';
import { raw, script, sh } from './shell-script.js';

export const FAULTS = ['vni-mismatch', 'port-mismatch', 'missing-flood', 'wrong-local', 'wrong-remote', 'mtu-blackhole', 'underlay-loss'] as const;
export type Fault = (typeof FAULTS)[number];

export function isFault(text: string): text is Fault {
  return (FAULTS as readonly string[]).includes(text);
}

export interface BreakTarget {
  host?: string;
  overlay?: string;
}

export interface BrokenFault {
  fault: Fault;
  host: string;
  overlay: string;
  device: string;
  /** What was done, in a sentence. */
  done: string;
}

const OTHER_PORT: Record<number, number> = { 4789: 8472, 8472: 4789 };
/** The share of packets `underlay-loss` drops on the host's underlay link: plain to see in a ping. */
export const UNDERLAY_LOSS = 0.3;

/** The MTU `mtu-blackhole` gives a container: Ethernet's 1500 above a smaller overlay, else 50 more. */
export function blackholeMtu(overlayMtu: number): number {
  return overlayMtu < 1500 ? 1500 : overlayMtu + 50;
}

/** The host and overlay a fault goes to: the ones named, or the last host of the first overlay. */
export function pickTarget(wiring: readonly HostWiring[], target: BreakTarget): { host: HostWiring; tunnel: TunnelWiring } {
  const hosts = wiring.filter((h) => h.overlays.length > 0 && (target.host === undefined || h.host === target.host));
  const host = target.host === undefined ? hosts.filter((h) => target.overlay === undefined || h.overlays.some((o) => o.overlay === target.overlay)).at(-1) : hosts[0];
  if (!host) {
    throw new EngineError(
      'node-not-found',
      target.host ? `${target.host} is no host of this lab with an overlay.` : 'This lab has no host with an overlay to break.',
      'Name a host of the lab with --host (vxlab status lists them).',
    );
  }
  const tunnel = target.overlay === undefined ? host.overlays[0] : host.overlays.find((o) => o.overlay === target.overlay);
  if (!tunnel) {
    throw new EngineError(
      'node-not-found',
      `${host.host} takes no part in overlay ${target.overlay ?? ''}.`,
      `Name one of its overlays with --overlay: ${host.overlays.map((o) => o.overlay).join(', ')}.`,
    );
  }
  return { host, tunnel };
}

/** The shell that injects the fault, and the sentence saying what it did. Pure. */
export function faultScript(fault: Exclude<Fault, 'underlay-loss'>, host: HostWiring, tunnel: TunnelWiring, allHosts: readonly HostWiring[]): { script: string; done: string } {
  const dev = tunnel.device;
  switch (fault) {
    case 'vni-mismatch': {
      const vni = tunnel.vni >= 16777215 ? tunnel.vni - 1 : tunnel.vni + 1;
      return { script: remake(tunnel, { vni }), done: `${host.host}'s ${dev} now has VNI ${vni} instead of ${tunnel.vni}.` };
    }
    case 'port-mismatch': {
      const port = OTHER_PORT[tunnel.port] ?? 4789;
      return { script: remake(tunnel, { port }), done: `${host.host}'s ${dev} now uses UDP port ${port} instead of ${tunnel.port}.` };
    }
    case 'wrong-local': {
      const local = strayAddress(host.ip, allHosts.map((h) => h.ip as string));
      return { script: remake(tunnel, { local }), done: `${host.host}'s ${dev} now sends from ${local} instead of ${tunnel.localIp}.` };
    }
    case 'mtu-blackhole': {
      // The container's end of its veth raised by hand, as a person would inside it; the
      // bridge's end keeps the overlay's MTU, so larger frames die there without an error.
      const container = host.containers.find((c) => c.interfaces.some((i) => i.overlay === tunnel.overlay));
      const iface = container?.interfaces.find((i) => i.overlay === tunnel.overlay);
      if (!container || !iface) {
        throw new EngineError('step-failed', `${host.host} has no container on overlay ${tunnel.overlay} to give a larger MTU.`, 'Pick another host with --host.');
      }
      const mtu = blackholeMtu(iface.mtu);
      return {
        script: script(
          raw('set -e'),
          sh`pid=$(docker inspect -f ${'{{.State.Pid}}'} ${container.name})`,
          sh`nsenter -t "$pid" -n ip link set ${iface.name} mtu ${mtu}`,
        ),
        done: `${container.name}'s ${iface.name} on ${host.host} now has MTU ${mtu}, above overlay ${tunnel.overlay}'s ${iface.mtu}.`,
      };
    }
    case 'missing-flood':
    case 'wrong-remote': {
      const peer = tunnel.peers[0];
      if (peer === undefined) {
        throw new EngineError('step-failed', `${host.host}'s ${dev} has no peer, so no flood entry to change.`, 'Pick another host with --host.');
      }
      if (fault === 'wrong-remote') {
        // The peer's address mistyped: the flood entry points where no VTEP listens.
        const stray = strayAddress(peer, allHosts.map((h) => h.ip as string));
        return {
          script: script(
            raw('set -e'),
            sh`bridge fdb del 00:00:00:00:00:00 dev ${dev} dst ${peer}`,
            sh`bridge fdb append 00:00:00:00:00:00 dev ${dev} dst ${stray}`,
          ),
          done: `${host.host}'s ${dev} now floods to ${stray} instead of its peer ${peer}.`,
        };
      }
      return {
        script: script(sh`bridge fdb del 00:00:00:00:00:00 dev ${dev} dst ${peer}`),
        done: `${host.host}'s ${dev} no longer floods to ${peer}.`,
      };
    }
  }
}

/** The device made again by hand, as a person would, with one value changed and no alias. */
function remake(t: TunnelWiring, change: { vni?: number; port?: number; local?: string }): string {
  const lines: ShellFragment[] = [
    raw('set -e'),
    sh`ip link del ${t.device}`,
    sh`ip link add ${t.device} type vxlan id ${change.vni ?? t.vni} dstport ${change.port ?? t.port} dev ${UNDERLAY_DEVICE} local ${change.local ?? t.localIp}`,
    sh`ip link set ${t.device} mtu ${t.mtu} master ${t.bridge} up`,
    ...t.peers.map((peer) => sh`bridge fdb append 00:00:00:00:00:00 dev ${t.device} dst ${peer}`),
  ];
  return script(lines);
}

/** An address on the host's /24 that no host of the lab holds. */
export function strayAddress(ip: string, taken: readonly string[]): string {
  const parts = ip.split('.');
  const prefix = parts.slice(0, 3).join('.');
  const start = Number(parts[3] ?? 0);
  for (let step = 100; step < 354; step++) {
    const candidate = `${prefix}.${((start + step) % 253) + 1}`;
    if (!taken.includes(candidate)) return candidate;
  }
  throw new EngineError('step-failed', `No free address near ${ip} to use as a wrong local address.`, 'Use another fault.');
}

export async function breakLab(engine: LabEngine, lab: string, fault: Fault, target: BreakTarget): Promise<BrokenFault> {
  const applied = await engine.appliedLab(lab);
  if (!applied) throw new EngineError('lab-not-found', `No lab ${lab} has been brought up here.`, 'Bring it up first: vxlab up FILE');
  const wiring = planWiring(applied);
  const { host, tunnel } = pickTarget(wiring, target);
  if (fault === 'underlay-loss') {
    await applyLinkRequest(engine, lab, host.host, UNDERLAY_DEVICE, { kind: 'set', faults: { loss: UNDERLAY_LOSS } });
    return {
      fault,
      host: host.host,
      overlay: tunnel.overlay,
      device: UNDERLAY_DEVICE,
      done: `${host.host} now drops ${UNDERLAY_LOSS * 100}% of what leaves its underlay link ${UNDERLAY_DEVICE}. Clear it with \`vxlab link ${lab} ${host.host} --clear\`.`,
    };
  }
  const { script: text, done } = faultScript(fault, host, tunnel, wiring);
  const located = await engine.locateNode(lab, host.host);
  await runScript(located.host, text, `Breaking ${tunnel.device} on host ${host.host}`);
  return { fault, host: host.host, overlay: tunnel.overlay, device: tunnel.device, done };
}

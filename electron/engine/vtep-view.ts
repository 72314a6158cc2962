// A host's VTEP view: what the kernel of one host knows about the overlays, read with
// iproute2's JSON output in one exec and named in the lab's terms (which MAC is
// which container, which underlay IP is which host).
import type { BridgePort, FdbEntry, Neighbour, RouteEntry, VtepDevice, VtepView } from '../api/types.js';
import type { HostWiring } from '../lab/plan.js';
import { planWiring } from '../lab/plan.js';
import { isOverlayBridgeName } from '../lab/naming.js';
import { EngineError } from './errors.js';
import { runScript } from './exec.js';
import { inspectScript, UNDERLAY_DEVICE } from './host-scripts.js';
import type { LabEngine } from './lab-engine.js';

export type { BridgePort, FdbEntry, Neighbour, RouteEntry, VtepDevice, VtepView };

export interface RawSections {
  vxlan: RawLink[];
  bridges: RawLink[];
  ports: RawPort[];
  fdb: RawFdb[];
  neighbours: RawNeighbour[];
  addresses: RawAddress[];
  routes: RawRoute[];
}
interface RawLink {
  ifname: string;
  mtu: number;
  master?: string;
  operstate?: string;
  linkinfo?: { info_kind?: string; info_data?: Record<string, unknown> };
}
interface RawPort { ifname: string; master?: string; state?: string; mtu: number }
interface RawFdb { mac: string; ifname: string; dst?: string; flags?: string[]; state?: string; master?: string }
interface RawNeighbour { dst: string; dev: string; lladdr?: string; state?: string[] }
interface RawAddress { ifname: string; mtu: number; addr_info?: { family: string; local: string; prefixlen: number }[] }
interface RawRoute { dst: string; dev?: string; gateway?: string; prefsrc?: string }

export async function readVtepView(engine: LabEngine, lab: string, host: string): Promise<VtepView> {
  const target = await engine.locateNode(lab, host);
  if (target.container) {
    throw new EngineError(
      'node-not-found',
      `${host} is a container; the VTEP view belongs to a host.`,
      `Inspect its host instead: vxlab inspect ${lab} ${target.hostName}`,
    );
  }
  const raw = JSON.parse(await runScript(target.host, inspectScript(), `Reading the tables of host ${host}`)) as RawSections;
  const applied = await engine.appliedLab(lab);
  const wiring = applied ? planWiring(applied) : [];
  return shapeVtepView(lab, host, raw, wiring);
}

/** Turns iproute2's JSON into the view, naming MACs and IPs after the lab's nodes. */
export function shapeVtepView(lab: string, host: string, raw: RawSections, wiring: HostWiring[]): VtepView {
  const macOwner = new Map<string, string>();
  const ipOwner = new Map<string, string>();
  const vethOwner = new Map<string, string>();
  for (const h of wiring) {
    ipOwner.set(h.ip, h.host);
    for (const c of h.containers) {
      for (const i of c.interfaces) {
        macOwner.set(i.mac, `${c.name} ${i.name}`);
        ipOwner.set(i.address.split('/')[0] ?? '', c.name);
        if (h.host === host) vethOwner.set(i.hostVeth, `${c.name} ${i.name}`);
      }
    }
  }
  const vxlanNames = new Set(raw.vxlan.map((l) => l.ifname));
  const ownBridges = new Set(raw.bridges.map((b) => b.ifname).filter(isOverlayBridgeName));
  const underlay = raw.addresses.find((a) => a.ifname === UNDERLAY_DEVICE);
  return {
    lab,
    host,
    underlay: {
      device: UNDERLAY_DEVICE,
      ip: underlay?.addr_info?.find((a) => a.family === 'inet')?.local,
      mtu: underlay?.mtu,
    },
    vteps: raw.vxlan.map((link) => {
      const data = link.linkinfo?.info_data ?? {};
      return {
        device: link.ifname,
        vni: Number(data.id),
        port: Number(data.port),
        localIp: String(data.local ?? ''),
        underlayDevice: String(data.link ?? ''),
        mtu: link.mtu,
        bridge: link.master,
        learning: data.learning === true,
        state: link.operstate ?? '',
      };
    }),
    fdb: raw.fdb
      .filter((e) => vxlanNames.has(e.ifname) || (e.master !== undefined && ownBridges.has(e.master)))
      .filter((e) => !(e.flags ?? []).includes('self') || e.dst !== undefined)
      .map((e) => {
        const kind: FdbEntry['kind'] =
          e.mac === '00:00:00:00:00:00'
            ? 'flood'
            : e.state === 'static' || (e.state === 'permanent' && e.dst !== undefined)
              ? 'static'
              : e.state === 'permanent'
                ? 'local'
                : 'learned';
        const owner = kind === 'flood' ? (e.dst ? ipOwner.get(e.dst) : undefined) : macOwner.get(e.mac);
        return { table: e.dst ? 'vtep' : 'bridge', mac: e.mac, device: e.ifname, dst: e.dst, kind, owner } satisfies FdbEntry;
      }),
    bridgePorts: raw.ports
      .filter((p) => p.master !== undefined && ownBridges.has(p.master))
      .map((p) => ({
        port: p.ifname,
        bridge: p.master ?? '',
        kind: vxlanNames.has(p.ifname) ? 'vxlan' : vethOwner.has(p.ifname) ? 'veth' : 'other',
        container: vethOwner.get(p.ifname),
        state: p.state ?? '',
        mtu: p.mtu,
      })),
    neighbours: raw.neighbours.map((n) => ({
      ip: n.dst,
      mac: n.lladdr,
      device: n.dev,
      state: (n.state ?? []).join(','),
      owner: ipOwner.get(n.dst),
    })),
    routes: raw.routes.map((r) => ({ destination: r.dst, device: r.dev, gateway: r.gateway, source: r.prefsrc })),
  };
}

// What the canvas highlights for a step of a packet walk: the node the packet is in,
// and while it crosses the underlay (the VXLAN device, out of one host, into the other)
// the tunnel between the two hosts of that direction.
import type { CanvasHighlight } from '../editor';
import type { TraceRole } from './api';
import type { TraceStep } from './trace-session';

const IN_TUNNEL: ReadonlySet<TraceRole> = new Set(['vtep', 'underlay-out', 'underlay-in']);

export function stepHighlight(steps: readonly TraceStep[], current: number, vni: number | undefined): CanvasHighlight | undefined {
  const step = steps[current];
  if (step === undefined) return undefined;
  const nodes = [step.hop.node];
  if (!IN_TUNNEL.has(step.hop.role)) return { nodes };
  const hosts: string[] = [];
  for (const other of steps) {
    if (other.direction === step.direction && !hosts.includes(other.hop.host)) hosts.push(other.hop.host);
  }
  const [first, last] = [hosts[0], hosts[hosts.length - 1]];
  if (first === undefined || last === undefined || first === last) return { nodes };
  return { nodes, tunnel: { hosts: [first, last], ...(vni !== undefined ? { vni } : {}) } };
}

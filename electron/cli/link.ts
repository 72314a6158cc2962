// `vxlab link LAB NODE [--iface IF] [--loss 5%] [--rate 10mbit] [--delay 50ms] [--jitter 5ms]
// | --down | --up | --clear`: faults on one link of a node, then the link as it now is and
// the mechanism that makes them (netem, or netfilter and tbf on a kernel without it).
// Without an option it only shows the link.
import { labNameSchema, nodeNameSchema } from '../api/contract.js';
import type { LinkEngine, LinkState } from '../engine/link-faults.js';
import { applyLinkRequest } from '../engine/link-faults.js';
import type { LinkOptionsText } from '../lab/link-spec.js';
import { checkInterfaceName, describeFaults, formatPercent, LinkSpecError, planLinkRequest } from '../lab/link-spec.js';
import { printable } from './printable.js';

type Io = { out: (text: string) => void; err: (text: string) => void };

export interface LinkCommandOptions extends LinkOptionsText {
  lab: string;
  node: string;
  iface?: string;
}

/** The interface a link fault goes on when none is named: a host's underlay link, a container's first interface. */
export const DEFAULT_LINK_IFACE = 'eth0';

export async function linkCommand(engine: LinkEngine, options: LinkCommandOptions, io: Io): Promise<number> {
  for (const [what, checked] of [
    ['LAB', labNameSchema.safeParse(options.lab)],
    ['NODE', nodeNameSchema.safeParse(options.node)],
  ] as const) {
    if (!checked.success) throw new LinkSpecError(`vxlab link ${what}: ${checked.error.issues[0]?.message ?? 'not a valid name'}.`);
  }
  const iface = checkInterfaceName(options.iface ?? DEFAULT_LINK_IFACE);
  const request = planLinkRequest(options);
  const state = await applyLinkRequest(engine, options.lab, options.node, iface, request);
  if (request.kind === 'set') io.err(`Set ${describeFaults(request.faults)} on ${iface} of ${printable(options.node)}.\n`);
  else if (request.kind !== 'show') io.err(`${request.kind === 'clear' ? 'Cleared the faults vxlab set' : `Link ${request.kind}`} on ${iface} of ${printable(options.node)}.\n`);
  io.out(renderLinkState(state));
  return 0;
}

export function renderLinkState(state: LinkState): string {
  const mechanism = state.mechanism === 'netem' ? 'netem (sch_netem)' : 'netfilter random drop and tbf (this kernel has no sch_netem; delay and jitter not yet available)';
  const lines = [
    `${printable(state.node)} ${printable(state.iface)}: link ${state.up ? 'up' : 'DOWN'}`,
    `  mechanism: ${mechanism}`,
    `  qdisc:     ${state.qdisc !== undefined ? printable(state.qdisc) : 'none set by vxlab'}`,
    `  drop:      ${state.dropProbability !== undefined ? `${formatPercent(state.dropProbability)} of packets sent (netfilter)` : 'none set by vxlab'}`,
  ];
  return lines.join('\n') + '\n';
}

// Which table entries the focus used: the selected packet (its innermost destination
// MAC in the FDB, its destination addresses among the neighbours) or the trace step
// (the entry its decision names). Pure, so the panel and its tests share the rule.
import type { FdbEntry, Neighbour, RouteEntry } from '../../../electron/api/contract';
import type { XrayFocus } from './xray-store';

const same = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/** Whether the trace step's decision is about this host's tables. */
function decisionHere(focus: XrayFocus, host: string): boolean {
  const decision = focus.decision;
  if (!decision) return false;
  return (decision.host ?? focus.host ?? host) === host;
}

export function fdbEntryUsed(entry: FdbEntry, focus: XrayFocus, host: string): boolean {
  const decision = focus.decision;
  if (decision) {
    if (decision.table !== 'fdb' || !decisionHere(focus, host)) return false;
    if (decision.device !== undefined && decision.device !== entry.device) return false;
    // An entry pointing at a VTEP (its ip) is the VXLAN device's own; one without, the bridge's.
    if (decision.ip !== undefined ? entry.dst !== decision.ip : entry.table === 'vtep') return false;
    if (decision.mac !== undefined) return same(decision.mac, entry.mac);
    return entry.mac !== '' && decision.entry.toLowerCase().includes(entry.mac.toLowerCase());
  }
  return same(focus.keys?.dstMac, entry.mac);
}

export function neighbourUsed(neighbour: Neighbour, focus: XrayFocus, host: string): boolean {
  const decision = focus.decision;
  if (decision) {
    if (decision.table !== 'neighbour' || !decisionHere(focus, host)) return false;
    if (decision.ip !== undefined) return decision.ip === neighbour.ip;
    return new RegExp(`(^|[^\\d.])${neighbour.ip.replace(/\./g, '\\.')}($|[^\\d.])`).test(decision.entry);
  }
  const keys = focus.keys;
  return keys !== undefined && (neighbour.ip === keys.outer?.dstIp || neighbour.ip === keys.dstIp);
}

export function routeUsed(route: RouteEntry, focus: XrayFocus, host: string): boolean {
  const decision = focus.decision;
  if (!decision || decision.table !== 'route' || !decisionHere(focus, host)) return false;
  return decision.entry.split(/\s+/)[0] === route.destination;
}

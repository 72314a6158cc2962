// A host's table entries as one line each, and what changed between two reads of a
// host's tables. Both the packet walk (which names the entry that decided a hop) and the
// live tables (which push what changed) speak of entries in these words. Pure.
import type { FdbEntry, Neighbour, TableChange, VtepView } from '../api/types.js';

/** An FDB entry as `bridge fdb` prints it, with the lab's name of what it points at. */
export function describeFdbEntry(entry: FdbEntry): string {
  const where = entry.table === 'vtep' ? `dev ${entry.device} dst ${entry.dst ?? '?'}` : `port ${entry.device}`;
  const owner = entry.owner ? ` (${entry.owner})` : '';
  return `${entry.mac} ${where} ${entry.kind}${owner}`;
}

/** A neighbour (ARP) entry as `ip neigh` prints it, with the lab's name of its owner. */
export function describeNeighbour(entry: Neighbour): string {
  const owner = entry.owner ? ` (${entry.owner})` : '';
  return `${entry.ip} lladdr ${entry.mac ?? '-'} dev ${entry.device} ${entry.state || '-'}${owner}`;
}

function fdbKey(entry: FdbEntry): string {
  return `${entry.table}|${entry.mac}|${entry.device}|${entry.dst ?? ''}`;
}

function neighbourKey(entry: Neighbour): string {
  return `${entry.ip}|${entry.device}`;
}

/** Upper bound of changes reported at once: a host holds at most a few thousand entries. */
export const MAX_TABLE_CHANGES = 2000;

/**
 * What changed from `before` to `after`: entries that appeared (a newly learned MAC is
 * 'added'), went (aged out or deleted) or changed kind, owner, address or state.
 */
export function diffTables(before: Pick<VtepView, 'fdb' | 'neighbours'>, after: Pick<VtepView, 'fdb' | 'neighbours'>): TableChange[] {
  const changes: TableChange[] = [];
  const oldFdb = new Map(before.fdb.map((e) => [fdbKey(e), e]));
  const newFdb = new Map(after.fdb.map((e) => [fdbKey(e), e]));
  for (const [key, entry] of newFdb) {
    const old = oldFdb.get(key);
    const fields = { mac: entry.mac, device: entry.device, ...(entry.dst ? { ip: entry.dst } : {}) };
    if (!old) changes.push({ table: 'fdb', change: 'added', entry: describeFdbEntry(entry), ...fields });
    else if (old.kind !== entry.kind || old.owner !== entry.owner) changes.push({ table: 'fdb', change: 'changed', entry: describeFdbEntry(entry), ...fields });
  }
  for (const [key, entry] of oldFdb) {
    if (!newFdb.has(key)) {
      changes.push({ table: 'fdb', change: 'removed', entry: describeFdbEntry(entry), mac: entry.mac, device: entry.device, ...(entry.dst ? { ip: entry.dst } : {}) });
    }
  }
  const oldNeighbours = new Map(before.neighbours.map((e) => [neighbourKey(e), e]));
  const newNeighbours = new Map(after.neighbours.map((e) => [neighbourKey(e), e]));
  for (const [key, entry] of newNeighbours) {
    const old = oldNeighbours.get(key);
    const fields = { ip: entry.ip, device: entry.device, ...(entry.mac ? { mac: entry.mac } : {}) };
    if (!old) changes.push({ table: 'neighbour', change: 'added', entry: describeNeighbour(entry), ...fields });
    else if (old.mac !== entry.mac || old.state !== entry.state) changes.push({ table: 'neighbour', change: 'changed', entry: describeNeighbour(entry), ...fields });
  }
  for (const [key, entry] of oldNeighbours) {
    if (!newNeighbours.has(key)) {
      changes.push({ table: 'neighbour', change: 'removed', entry: describeNeighbour(entry), ip: entry.ip, device: entry.device, ...(entry.mac ? { mac: entry.mac } : {}) });
    }
  }
  return changes.slice(0, MAX_TABLE_CHANGES);
}

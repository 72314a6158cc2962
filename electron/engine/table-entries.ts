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

/** How one table's entries are told apart, compared, described and pointed at. */
interface TableRules<T> {
  table: TableChange['table'];
  key(entry: T): string;
  same(a: T, b: T): boolean;
  describe(entry: T): string;
  fields(entry: T): Pick<TableChange, 'mac' | 'ip' | 'device'>;
}

const FDB_RULES: TableRules<FdbEntry> = {
  table: 'fdb',
  key: fdbKey,
  same: (a, b) => a.kind === b.kind && a.owner === b.owner,
  describe: describeFdbEntry,
  fields: (e) => ({ mac: e.mac, device: e.device, ...(e.dst ? { ip: e.dst } : {}) }),
};

const NEIGHBOUR_RULES: TableRules<Neighbour> = {
  table: 'neighbour',
  key: neighbourKey,
  same: (a, b) => a.mac === b.mac && a.state === b.state,
  describe: describeNeighbour,
  fields: (e) => ({ ip: e.ip, device: e.device, ...(e.mac ? { mac: e.mac } : {}) }),
};

function diffTable<T>(rules: TableRules<T>, before: readonly T[], after: readonly T[]): TableChange[] {
  const changes: TableChange[] = [];
  const old = new Map(before.map((e) => [rules.key(e), e]));
  const now = new Map(after.map((e) => [rules.key(e), e]));
  const change = (kind: TableChange['change'], entry: T): TableChange => ({ table: rules.table, change: kind, entry: rules.describe(entry), ...rules.fields(entry) });
  for (const [key, entry] of now) {
    const previous = old.get(key);
    if (!previous) changes.push(change('added', entry));
    else if (!rules.same(previous, entry)) changes.push(change('changed', entry));
  }
  for (const [key, entry] of old) if (!now.has(key)) changes.push(change('removed', entry));
  return changes;
}

/**
 * What changed from `before` to `after`: entries that appeared (a newly learned MAC is
 * 'added'), went (aged out or deleted) or changed kind, owner, address or state.
 */
export function diffTables(before: Pick<VtepView, 'fdb' | 'neighbours'>, after: Pick<VtepView, 'fdb' | 'neighbours'>): TableChange[] {
  return [...diffTable(FDB_RULES, before.fdb, after.fdb), ...diffTable(NEIGHBOUR_RULES, before.neighbours, after.neighbours)].slice(0, MAX_TABLE_CHANGES);
}

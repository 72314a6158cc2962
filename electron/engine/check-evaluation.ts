// What an objective's check means, from what its probe recorded: pure, so every rule is
// tested on recorded outputs (test/unit/check-evaluation.test.ts). checks.ts runs the probes.

import type { FdbEntry, VtepView } from '../api/types.js';
import type { Lab, ObjectiveCheck, StateEntry } from '../lab/model.js';

/** IPv4 header 20 + ICMP header 8: a ping of payload P makes a packet of P + 28 bytes. */
export const PING_HEADER_BYTES = 28;
/** Bytes of a command's output kept for matching and reports: a chatty command costs no more. */
export const MAX_CHECK_OUTPUT = 64 * 1024;

/** What one try of a probe recorded. */
export interface ProbeRecord {
  exitCode: number;
  output: string;
}

export interface CheckOutcome {
  passed: boolean;
  /** What was observed, in plain words (for the report beside the author's message). */
  observed: string;
}

/** The address a reach or mtu check pings: the address itself, a container's first overlay address, or a host's underlay address. */
export function targetAddress(lab: Pick<Lab, 'hosts' | 'containers'>, to: string): string | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(to)) return to;
  const container = lab.containers.find((candidate) => candidate.name === to);
  if (container !== undefined) return container.interfaces[0]?.ip;
  return lab.hosts.find((host) => host.name === to)?.ip;
}

/** The ping a reach or mtu check runs in its node: one echo, DF with an exact size for mtu. */
export function pingCommand(check: Extract<ObjectiveCheck, { kind: 'reach' | 'mtu' }>, address: string): string[] {
  const wait = ['-W', String(check.timeoutSeconds)];
  if (check.kind === 'reach') return ['ping', '-n', '-c', '1', ...wait, address];
  return ['ping', '-n', '-c', '1', '-M', 'do', '-s', String(check.size - PING_HEADER_BYTES), ...wait, address];
}

/** A ping got an answer: exit 0 and at least one reply counted. */
export function pingAnswered(record: ProbeRecord): boolean {
  const received = /(\d+) (?:packets )?received/.exec(record.output);
  return record.exitCode === 0 && received !== null && Number(received[1]) > 0;
}

function describePing(record: ProbeRecord): string {
  if (pingAnswered(record)) return 'the ping was answered';
  if (/message too long|frag needed/i.test(record.output)) return 'the ping was refused as larger than the path MTU';
  return 'the ping got no answer';
}

/** Compares what the probe showed with what the check expects. */
function outcome(check: ObjectiveCheck, happened: boolean, observed: string): CheckOutcome {
  return { passed: happened === (check.expect === 'pass'), observed };
}

export function evaluatePing(check: Extract<ObjectiveCheck, { kind: 'reach' | 'mtu' }>, record: ProbeRecord): CheckOutcome {
  return outcome(check, pingAnswered(record), describePing(record));
}

export function evaluateCommand(check: Extract<ObjectiveCheck, { kind: 'command' }>, record: ProbeRecord): CheckOutcome {
  if (check.match !== undefined) {
    const matched = new RegExp(check.match, 'm').test(record.output.slice(0, MAX_CHECK_OUTPUT));
    return outcome(check, matched, `the output ${matched ? 'matches' : 'does not match'} /${check.match}/ (exit ${record.exitCode})`);
  }
  return outcome(check, record.exitCode === 0, `the command exited with ${record.exitCode}`);
}

function findEntry(view: VtepView, entry: StateEntry): { found: boolean; what: string } {
  if ('vni' in entry) {
    const found = view.vteps.some(
      (vtep) => vtep.vni === entry.vni && (entry.device === undefined || vtep.device === entry.device) && (entry.port === undefined || vtep.port === entry.port),
    );
    const port = entry.port === undefined ? '' : ` on UDP port ${entry.port}`;
    return { found, what: `a VXLAN device${entry.device === undefined ? '' : ` ${entry.device}`} with VNI ${entry.vni}${port}` };
  }
  if ('flood' in entry) {
    const found = view.fdb.some((fdb: FdbEntry) => fdb.kind === 'flood' && (fdb.dst === entry.flood || fdb.owner === entry.flood));
    return { found, what: `a flood entry to ${entry.flood}` };
  }
  const found = view.fdb.some((fdb: FdbEntry) => fdb.kind === 'learned' && fdb.owner === entry.mac);
  return { found, what: `a learned MAC of ${entry.mac}` };
}

export function evaluateState(check: Extract<ObjectiveCheck, { kind: 'state' }>, view: VtepView): CheckOutcome {
  const { found, what } = findEntry(view, check.entry);
  return outcome(check, found, found ? `${check.host} has ${what}` : `${check.host} lacks ${what}`);
}

/** The author's message for the outcome, or a plain one when the author wrote none. */
export function messageOf(check: ObjectiveCheck, result: CheckOutcome): string {
  const authored = result.passed ? check.passMessage : check.failMessage;
  return authored ?? (result.passed ? 'passed' : 'failed');
}

/** One line naming the check, for reports: "reach container1 -> container2". */
export function describeCheck(check: ObjectiveCheck): string {
  const negated = check.expect === 'fail' ? ' (must fail)' : '';
  switch (check.kind) {
    case 'reach':
      return `reach ${check.from} -> ${check.to}${negated}`;
    case 'mtu':
      return `mtu ${check.size} DF ${check.from} -> ${check.to}${negated}`;
    case 'command':
      return `command on ${check.node}: ${check.run}${negated}`;
    case 'state': {
      const entry = check.entry;
      const what =
        'vni' in entry
          ? `VNI ${entry.vni}${entry.device === undefined ? '' : ` on ${entry.device}`}${entry.port === undefined ? '' : ` port ${entry.port}`}`
          : 'flood' in entry ? `flood to ${entry.flood}` : `MAC of ${entry.mac}`;
      return `state of ${check.host}: ${what}${check.expect === 'fail' ? ' absent' : ''}`;
    }
  }
}

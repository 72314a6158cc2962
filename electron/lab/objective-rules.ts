// The rules of a lab's objectives that relate fields to each other: which fields a check of
// each kind needs (and which it would ignore), that nodes and hosts it names exist, that a
// pattern compiles. schema.ts has already checked every field on its own; values it refused
// are left alone here (`ok(path)` is false for them).

import { parseIPv4 } from './addressing.js';
import { listSome } from './limits.js';
import type { NodeCommand, Objective, ObjectiveCheck, ProblemCode, StateEntry } from './model.js';
import { joinPath } from './problem-path.js';
import type { CheckKind } from './schema.js';

type Mapping = Record<string, unknown>;
type Report = (code: ProblemCode, path: string, message: string) => void;

export interface ObjectiveNames {
  hosts: ReadonlySet<string>;
  containers: ReadonlySet<string>;
}

/** Fields each kind reads; the common ones (kind, expect, timeout, retries, pass, fail) are read by all. */
const FIELDS_OF: Record<CheckKind, { required: string[]; optional: string[] }> = {
  reach: { required: ['from', 'to'], optional: [] },
  mtu: { required: ['from', 'to', 'size'], optional: [] },
  command: { required: ['node', 'run'], optional: ['match'] },
  state: { required: ['host'], optional: ['vni', 'device', 'port', 'flood', 'mac'] },
};
const COMMON_FIELDS = new Set(['kind', 'expect', 'timeout', 'retries', 'pass', 'fail']);
const EXAMPLE_OF: Record<string, string> = {
  from: 'from: container1',
  to: 'to: container2 (or an address such as 10.0.2.3)',
  size: 'size: 1400',
  node: 'node: container1',
  run: 'run: ip -br link',
  host: 'host: host-a',
};
const DEFAULT_TIMEOUT_SECONDS = 5;

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The objectives, when every one is valid; undefined (with problems reported) otherwise, and
 * undefined without problems when the file has none.
 */
export function checkObjectives(file: Mapping, names: ObjectiveNames, ok: (path: string) => boolean, report: Report): Objective[] | undefined | 'invalid' {
  const list = file.objectives;
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || !ok('objectives')) return 'invalid';
  let valid = true;
  const objectives: Objective[] = [];
  list.forEach((step, index) => {
    const path = joinPath('objectives', index);
    if (!isMapping(step) || !ok(path)) {
      valid = false;
      return;
    }
    const objective = checkStep(step, path, names, ok, report);
    if (objective === undefined) valid = false;
    else objectives.push(objective);
  });
  return valid ? objectives : 'invalid';
}

function text(entry: Mapping, path: string, key: string, ok: (path: string) => boolean): string | undefined {
  const value = entry[key];
  return typeof value === 'string' && ok(joinPath(path, key)) ? value : undefined;
}

function checkStep(step: Mapping, path: string, names: ObjectiveNames, ok: (path: string) => boolean, report: Report): Objective | undefined {
  let valid = true;
  const title = text(step, path, 'title', ok);
  if (title === undefined) valid = false;
  if (step.explanation !== undefined && text(step, path, 'explanation', ok) === undefined) valid = false;
  const commands = (key: 'setup' | 'solution'): NodeCommand[] => {
    const list = step[key];
    const listPath = joinPath(path, key);
    if (list === undefined) return [];
    if (!Array.isArray(list) || !ok(listPath)) {
      valid = false;
      return [];
    }
    const result: NodeCommand[] = [];
    list.forEach((entry, index) => {
      const entryPath = joinPath(listPath, index);
      const node = isMapping(entry) && ok(entryPath) ? text(entry, entryPath, 'node', ok) : undefined;
      const run = isMapping(entry) && ok(entryPath) ? text(entry, entryPath, 'run', ok) : undefined;
      if (node !== undefined && !knownNode(node, joinPath(entryPath, 'node'), names, report)) valid = false;
      else if (node !== undefined && run !== undefined) result.push({ node, run });
      else valid = false;
    });
    return result;
  };
  const setup = commands('setup');
  const solution = commands('solution');
  const checks: ObjectiveCheck[] = [];
  const list = step.checks;
  const checksPath = joinPath(path, 'checks');
  if (!Array.isArray(list) || !ok(checksPath)) valid = false;
  else {
    list.forEach((entry, index) => {
      const entryPath = joinPath(checksPath, index);
      const check = isMapping(entry) && ok(entryPath) ? checkCheck(entry, entryPath, names, ok, report) : undefined;
      if (check === undefined) valid = false;
      else checks.push(check);
    });
  }
  if (!valid || title === undefined) return undefined;
  const explanation = text(step, path, 'explanation', ok) ?? '';
  return { title, explanation, setup, solution, checks };
}

function choice(kind: string, names: ReadonlySet<string>): string {
  return names.size === 0 ? `add a ${kind} first` : `use one of ${listSome(names, names.size)}`;
}

function knownNode(name: string, path: string, names: ObjectiveNames, report: Report): boolean {
  if (names.hosts.has(name) || names.containers.has(name)) return true;
  const all = new Set([...names.hosts, ...names.containers]);
  report('unknown-node', path, `${path} is ${JSON.stringify(name)} but no host or container has that name: ${choice('host or container', all)}`);
  return false;
}

/** A node's name or an IPv4 address: the name must exist. */
function knownTarget(value: string, path: string, names: ObjectiveNames, report: Report, hostsOnly = false): boolean {
  if (parseIPv4(value) !== undefined) return true;
  if (hostsOnly) {
    if (names.hosts.has(value)) return true;
    report('unknown-host', path, `${path} is ${JSON.stringify(value)}, neither a host's name nor an IPv4 address: ${choice('host', names.hosts)}, or write a VTEP address`);
    return false;
  }
  if (names.hosts.has(value) || names.containers.has(value)) return true;
  const all = new Set([...names.hosts, ...names.containers]);
  report('unknown-node', path, `${path} is ${JSON.stringify(value)}, neither a node's name nor an IPv4 address: ${choice('node', all)}, or write an address like 10.0.2.3`);
  return false;
}

function checkCheck(entry: Mapping, path: string, names: ObjectiveNames, ok: (path: string) => boolean, report: Report): ObjectiveCheck | undefined {
  const kind = text(entry, path, 'kind', ok) as CheckKind | undefined;
  if (kind === undefined) {
    if (entry.kind === undefined) report('required', joinPath(path, 'kind'), `${joinPath(path, 'kind')} is missing: add what the check looks at, kind: reach, mtu, command or state`);
    return undefined;
  }
  const fields = FIELDS_OF[kind];
  let valid = true;
  for (const key of Object.keys(entry)) {
    if (COMMON_FIELDS.has(key) || fields.required.includes(key) || fields.optional.includes(key)) continue;
    const fieldPath = joinPath(path, key);
    report('wrong-type', fieldPath, `${fieldPath} is not read by a ${kind} check: remove it, or change kind`);
    valid = false;
  }
  for (const key of fields.required) {
    if (entry[key] !== undefined) continue;
    const fieldPath = joinPath(path, key);
    report('required', fieldPath, `${fieldPath} is missing: a ${kind} check needs it, for example ${EXAMPLE_OF[key] ?? key}`);
    valid = false;
  }
  if (!valid) return undefined;
  const field = (key: string): string | undefined => text(entry, path, key, ok);
  const number = (key: string): number | undefined => {
    const value = entry[key];
    return typeof value === 'number' && ok(joinPath(path, key)) ? value : undefined;
  };
  const present = (key: string): boolean => entry[key] !== undefined;
  // Every present field must have passed the schema.
  for (const key of Object.keys(entry)) if (!ok(joinPath(path, key))) return undefined;

  const expectText = field('expect');
  const common = {
    expect: expectText === 'fail' ? ('fail' as const) : ('pass' as const),
    timeoutSeconds: number('timeout') ?? DEFAULT_TIMEOUT_SECONDS,
    retries: number('retries') ?? 0,
    ...(present('pass') ? { passMessage: field('pass') } : {}),
    ...(present('fail') ? { failMessage: field('fail') } : {}),
  };
  switch (kind) {
    case 'reach':
    case 'mtu': {
      const from = field('from') as string;
      const to = field('to') as string;
      if (!knownNode(from, joinPath(path, 'from'), names, report)) valid = false;
      if (!knownTarget(to, joinPath(path, 'to'), names, report)) valid = false;
      if (!valid) return undefined;
      return kind === 'reach' ? { ...common, kind, from, to } : { ...common, kind, from, to, size: number('size') as number };
    }
    case 'command': {
      const node = field('node') as string;
      if (!knownNode(node, joinPath(path, 'node'), names, report)) return undefined;
      const match = field('match');
      if (match !== undefined) {
        try {
          new RegExp(match);
        } catch (error) {
          const matchPath = joinPath(path, 'match');
          report('wrong-type', matchPath, `${matchPath} is not a regular expression (${(error as Error).message}): fix it, or remove match to need exit code 0`);
          return undefined;
        }
      }
      return { ...common, kind, node, run: field('run') as string, ...(match === undefined ? {} : { match }) };
    }
    case 'state': {
      const host = field('host') as string;
      const hostPath = joinPath(path, 'host');
      if (!names.hosts.has(host)) {
        report('unknown-host', hostPath, `${hostPath} is ${JSON.stringify(host)} but no host has that name: ${choice('host', names.hosts)}`);
        valid = false;
      }
      const asked = ['vni', 'flood', 'mac'].filter(present);
      if (asked.length !== 1) {
        report(
          asked.length === 0 ? 'required' : 'wrong-type',
          path,
          `${path} ${asked.length === 0 ? 'names no entry' : `names ${asked.join(' and ')}`}: a state check looks for exactly one entry, ` +
            'write one of vni: 42 (with device: vxlan42 or port: 4789 if you like), flood: host-b, or mac: container2',
        );
        return undefined;
      }
      const withVni = ['device', 'port'].find((key) => present(key) && !present('vni'));
      if (withVni !== undefined) {
        report('wrong-type', joinPath(path, withVni), `${joinPath(path, withVni)} is read only with vni: add vni, or remove ${withVni}`);
        return undefined;
      }
      let stateEntry: StateEntry;
      if (present('vni')) {
        const device = field('device');
        const port = number('port');
        stateEntry = { vni: number('vni') as number, ...(device === undefined ? {} : { device }), ...(port === undefined ? {} : { port }) };
      } else if (present('flood')) {
        const flood = field('flood') as string;
        if (!knownTarget(flood, joinPath(path, 'flood'), names, report, true)) valid = false;
        stateEntry = { flood };
      } else {
        const mac = field('mac') as string;
        const macPath = joinPath(path, 'mac');
        if (!names.containers.has(mac)) {
          report('unknown-node', macPath, `${macPath} is ${JSON.stringify(mac)} but no container has that name: ${choice('container', names.containers)}`);
          valid = false;
        }
        stateEntry = { mac };
      }
      return valid ? { ...common, kind, host, entry: stateEntry } : undefined;
    }
  }
}

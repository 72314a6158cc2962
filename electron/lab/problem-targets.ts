// Which element of the lab a problem is about, from its path: `hosts[1].ip` is the
// second host, `containers[0].interfaces[0].ip` the first container's first interface,
// `underlay.subnet` the lab itself. The editor outlines that element and selects it.

import { splitProblemPath } from './parse.js';

export type ProblemTarget =
  | { kind: 'host' | 'container' | 'overlay'; index: number }
  | { kind: 'interface'; container: number; interface: number }
  | { kind: 'lab' };

const KIND_OF_LIST = { hosts: 'host', containers: 'container', overlays: 'overlay' } as const;

export function problemTarget(path: string): ProblemTarget {
  const [list, index, field, fieldIndex] = splitProblemPath(path);
  if (typeof list !== 'string' || !Object.hasOwn(KIND_OF_LIST, list) || typeof index !== 'number') return { kind: 'lab' };
  const kind = KIND_OF_LIST[list as keyof typeof KIND_OF_LIST];
  if (kind === 'container' && field === 'interfaces' && typeof fieldIndex === 'number') {
    return { kind: 'interface', container: index, interface: fieldIndex };
  }
  return { kind, index };
}

// Labs made by code rather than by hand: big ones, to measure how the editor copes.

import type { LabDocument } from './document.js';
import { LAB_FILE_VERSION } from './model.js';

/**
 * A valid lab of `hosts` hosts with `containersPerHost` containers each and `overlays`
 * overlays: hosts + hosts * containersPerHost + overlays elements (20, 8, 20 make 200).
 * Container c of host h joins overlay (h + c) mod overlays, so every overlay spans
 * several hosts and the canvas has tunnels to draw. Addresses follow proposeIp's plan:
 * overlay o is 10.o.0.0/16 and host h's containers take 10.o.(h+1).2.
 */
export function generateLargeLab(hosts = 20, containersPerHost = 8, overlays = 20): LabDocument {
  if (hosts < 1 || hosts > 250 || overlays < 0 || overlays > 250 || containersPerHost < 0) {
    throw new RangeError('generateLargeLab takes 1-250 hosts, 0-250 overlays and a non-negative number of containers per host');
  }
  if (containersPerHost > 0 && overlays > 0 && containersPerHost > overlays) {
    throw new RangeError('each container of a host joins a different overlay: give at least as many overlays as containers per host');
  }
  const hostName = (h: number) => `host-${h + 1}`;
  return {
    version: LAB_FILE_VERSION,
    name: `large-${hosts}x${containersPerHost}`,
    title: `${hosts} hosts, ${hosts * containersPerHost} containers, ${overlays} overlays`,
    underlay: { subnet: '192.168.0.0/16', mtu: 1500 },
    hosts: Array.from({ length: hosts }, (_, h) => ({ name: hostName(h), ip: `192.168.${Math.floor((h + 10) / 250)}.${((h + 10) % 250) + 2}` })),
    overlays: Array.from({ length: overlays }, (_, o) => ({ name: `net-${o + 1}`, vni: 100 + o, subnet: `10.${o}.0.0/16` })),
    containers: Array.from({ length: hosts * containersPerHost }, (_, index) => {
      const h = Math.floor(index / containersPerHost);
      const c = index % containersPerHost;
      const o = overlays === 0 ? undefined : (h + c) % overlays;
      return {
        name: `c-${h + 1}-${c + 1}`,
        host: hostName(h),
        interfaces: o === undefined ? [] : [{ overlay: `net-${o + 1}`, ip: `10.${o}.${h + 1}.2` }],
      };
    }),
    layout: {},
  };
}

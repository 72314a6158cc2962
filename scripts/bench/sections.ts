// The bench's measurements. Each fills its part of the report as figures come in, so
// that a failure late in a section keeps what was measured before it. Taking a lab
// down is the caller's job: it must happen whatever a section throws.
import type Docker from 'dockerode';
import type { EngineEvent } from '../../electron/engine/events.js';
import { hostContainerName } from '../../electron/engine/hosts.js';
import type { LabEngine } from '../../electron/engine/lab-engine.js';
import type { BenchLab } from './labs.js';
import { BASICS } from './labs.js';
import type { LabGuard } from './guard.js';
import { hostMemory } from './memory.js';
import { elapsedMs, mean, median, roundTo } from './numbers.js';
import type { IperfPair, IperfRun } from './probes.js';
import { iperf, pingRtt, pingUntilReply } from './probes.js';
import type { FirstPingFigures, PathFigures, PathsFigures, TenHostFigures } from './report.js';

export interface BenchContext {
  engine: LabEngine;
  guard: LabGuard;
  log: (line: string) => void;
}

/** Long enough for a slow machine, short enough that a broken overlay fails the bench soon. */
const FIRST_PING_DEADLINE_SECONDS = 30;
/** Inner engines keep working for a moment after `up`; memory is read once they have settled. */
export const IDLE_SETTLE_MS = 3000;
const IPERF_FIRST_PORT = 5201;

/** Section 1: `up` of the two-host lab, then ping until container2 answers container1. */
export async function measureFirstPing(context: BenchContext, bench: BenchLab, figures: FirstPingFigures): Promise<void> {
  const { lab } = bench;
  context.guard.track(lab.name);
  const started = performance.now();
  await context.engine.up(lab, upProgress(context.log, lab.name), { sourceText: bench.text });
  figures.upMs = elapsedMs(started);
  const client = { host: hostOf(context, lab.name, BASICS.client.host), netnsOf: BASICS.client.container };
  figures.pings = await pingUntilReply(client, BASICS.server.overlayIp, FIRST_PING_DEADLINE_SECONDS);
  figures.firstPingMs = elapsedMs(started);
  context.log(`bench: first ping after ${(figures.firstPingMs / 1000).toFixed(2)} s (up returned after ${(figures.upMs / 1000).toFixed(2)} s)`);
}

/** Section 3, on the running two-host lab: RTT, then throughput of the overlay and the underlay. */
export async function measurePaths(context: BenchContext, figures: PathsFigures): Promise<void> {
  const overlay = overlayPair(context, figures.lab);
  const underlay = underlayPair(context, figures.lab);
  context.log('bench: ping RTT over the overlay and the underlay');
  figures.overlay.rtt = await pingRtt(overlay.client, overlay.target);
  figures.underlay.rtt = await pingRtt(underlay.client, underlay.target);
  figures.rttRatio = roundTo(figures.overlay.rtt.avgMs / figures.underlay.rtt.avgMs, 3);

  let port = IPERF_FIRST_PORT;
  for (let round = 1; round <= figures.rounds; round++) {
    // Alternating which path goes first keeps a trend in the machine's load from favouring one.
    const order: [PathFigures, IperfPair][] = [[figures.overlay, overlay], [figures.underlay, underlay]];
    if (round % 2 === 0) order.reverse();
    for (const [path, pair] of order) {
      const gbps = toGbps(await iperf(pair, port++, figures.secondsPerRun));
      path.runsGbps.push(gbps);
      context.log(`bench: round ${round}/${figures.rounds}: ${path === figures.overlay ? 'overlay ' : 'underlay'} ${gbps.toFixed(2)} Gbit/s`);
    }
  }
  figures.overlay.medianGbps = median(figures.overlay.runsGbps);
  figures.underlay.medianGbps = median(figures.underlay.runsGbps);
  figures.throughputRatio = roundTo(figures.overlay.medianGbps / figures.underlay.medianGbps, 3);
}

function toGbps(run: IperfRun): number {
  return roundTo(run.bitsPerSecond / 1e9, 3);
}

/** container1 -> container2 across VXLAN; iperf3 from each container's own file system. */
function overlayPair(context: BenchContext, lab: string): IperfPair {
  return {
    client: { host: hostOf(context, lab, BASICS.client.host), netnsOf: BASICS.client.container },
    server: { host: hostOf(context, lab, BASICS.server.host), netnsOf: BASICS.server.container },
    target: BASICS.server.overlayIp,
    binaryOnClient: BASICS.client.container,
    binaryOnServer: BASICS.server.container,
  };
}

/** host-a -> host-b on the underlay, in the hosts' own network namespaces; same iperf3 binaries. */
function underlayPair(context: BenchContext, lab: string): IperfPair {
  return {
    client: { host: hostOf(context, lab, BASICS.client.host) },
    server: { host: hostOf(context, lab, BASICS.server.host) },
    target: BASICS.server.underlayIp,
    binaryOnClient: BASICS.client.container,
    binaryOnServer: BASICS.server.container,
  };
}

export function describePaths(): { overlay: string; underlay: string } {
  const { client, server } = BASICS;
  return {
    overlay:
      `${client.container} -> ${server.container} (${server.overlayIp}): veth, overlay bridge and VXLAN (VNI 42) on ${client.host}, ` +
      `the underlay, then VXLAN, bridge and veth on ${server.host}.`,
    underlay:
      `${client.host} -> ${server.host} (${server.underlayIp}) in the hosts' own network namespaces: eth0 over the lab's underlay bridge, ` +
      'no VXLAN, no overlay bridge or container veth.',
  };
}

/** Section 2: `up` of ten hosts, then the memory each holds at rest. */
export async function measureTenHosts(context: BenchContext, bench: BenchLab, figures: TenHostFigures): Promise<void> {
  const { lab } = bench;
  context.guard.track(lab.name);
  const started = performance.now();
  await context.engine.up(lab, upProgress(context.log, lab.name), { sourceText: bench.text });
  figures.upMs = elapsedMs(started);
  context.log(`bench: ${lab.hosts.length} hosts up after ${(figures.upMs / 1000).toFixed(2)} s; reading idle memory`);
  await new Promise((resolve) => setTimeout(resolve, figures.idleSettleMs));
  const perHost = await Promise.all(lab.hosts.map((h) => hostMemory(h.name, hostOf(context, lab.name, h.name))));
  const values = perHost.map((h) => h.mib);
  figures.idleMemoryMiB = {
    mean: roundTo(mean(values), 1),
    min: roundTo(Math.min(...values), 1),
    max: roundTo(Math.max(...values), 1),
    perHost: Object.fromEntries(perHost.map((h) => [h.host, roundTo(h.mib, 1)])),
  };
}

function hostOf(context: BenchContext, lab: string, host: string): Docker.Container {
  return context.engine.docker.getContainer(hostContainerName(lab, host));
}

/** One line per host when it is fully wired, and every failure: enough to follow a run without flooding. */
function upProgress(log: (line: string) => void, lab: string): (event: EngineEvent) => void {
  const started = performance.now();
  return (event) => {
    if (event.type === 'step-failed') log(`${lab}: ${event.step} ${event.node ?? ''} failed: ${event.error}`);
    else if (event.type === 'log' && event.level === 'warn') log(`${lab}: ${event.message}`);
    else if (event.type === 'step-finished' && event.step === 'container') {
      log(`${lab}: ${event.node} ready at ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  };
}

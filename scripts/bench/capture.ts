// The capture section: can a capture and the decoder keep up with 10,000 packets/s for
// 10 s? iperf3 sends UDP datagrams at that rate from container1 to container2; each
// leaves host-a's eth0 as one VXLAN packet, which a capture there (tcpdump in host-a,
// as `vxlab capture` runs it) brings back and vxlab's decoder reads, every one of them.
// tcpdump's own count, the frames decoded and iperf3's datagrams are held side by side:
// a packet lost between the node and the decoder, or one the kernel dropped, shows.
import { hostContainerName } from '../../electron/engine/hosts.js';
import type { CaptureEnd } from '../../electron/engine/capture.js';
import { startCapture } from '../../electron/engine/capture.js';
import { execCapture } from '../../electron/engine/exec.js';
import { decodeFrame } from '../../electron/packets/decode.js';
import type { BenchLab } from './labs.js';
import { BASICS } from './labs.js';
import { elapsedMs, roundTo } from './numbers.js';
import type { CaptureFigures } from './report.js';
import type { BenchContext } from './sections.js';

/** Small datagrams: the test is about packets per second, not bytes. */
const DATAGRAM_BYTES = 100;
export const IPERF_PORT = 5301;
/** Packets still on their way when iperf3 returns, and tcpdump's last flush. */
const DRAIN_MS = 1000;

export async function measureCapture(context: BenchContext, bench: BenchLab, figures: CaptureFigures): Promise<void> {
  const { lab } = bench;
  const { hostA, hostB } = await upCaptureLab(context, bench);

  let decoded = 0;
  let vxlanUdp = 0;
  let decodeMs = 0;
  let batches = 0;
  let largestBatch = 0;
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  let firstUs: number | undefined;
  let lastUs = 0;
  const capture = await startCapture(context.engine, lab.name, BASICS.client.host, { iface: 'eth0', filter: 'udp port 4789' }, {
    frames: (_id, frames) => {
      const started = performance.now();
      for (const frame of frames) {
        const packet = decodeFrame(frame.bytes, { vxlanPorts: [4789] }, frame.originalLength);
        decoded++;
        if (packet.keys.outer?.vni === lab.overlays[0]?.vni && packet.keys.protocol === 17) vxlanUdp++;
        firstUs ??= frame.timeUs;
        lastUs = frame.timeUs;
      }
      decodeMs += performance.now() - started;
      batches++;
      largestBatch = Math.max(largestBatch, frames.length);
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    },
    ended: () => {},
  });
  let end: CaptureEnd | undefined;
  try {
    context.log(`bench: ${figures.targetPps} UDP datagrams/s for ${figures.seconds} s, container1 -> container2, captured on host-a eth0`);
    await execCapture(hostB, ['docker', 'exec', '-d', BASICS.server.container, 'iperf3', '-s', '-1', '-p', String(IPERF_PORT)]);
    const sent = await sendUdp(hostA, figures.targetPps, figures.seconds);
    figures.offeredPackets = sent;
    await new Promise((resolve) => setTimeout(resolve, DRAIN_MS));
  } finally {
    const stopping = performance.now();
    end = await capture.stop();
    context.log(`bench: capture stopped in ${Math.round(elapsedMs(stopping))} ms`);
  }
  figures.tcpdumpCaptured = end.captured ?? null;
  figures.droppedByKernel = end.droppedByKernel ?? null;
  figures.decoded = decoded;
  figures.vxlanDatagramsDecoded = vxlanUdp;
  figures.lostToDecoder = end.captured === undefined ? null : end.captured - decoded;
  figures.capturedPps = firstUs === undefined || lastUs <= firstUs ? null : Math.round(decoded / ((lastUs - firstUs) / 1e6));
  figures.decodeUsPerPacket = decoded === 0 ? null : roundTo((decodeMs * 1000) / decoded, 2);
  figures.batches = batches;
  figures.largestBatch = largestBatch;
  figures.rssGrowthMiB = roundTo((rssPeak - rssBefore) / 1024 / 1024, 1);
  context.log(
    `bench: tcpdump captured ${figures.tcpdumpCaptured}, decoded ${decoded} (${vxlanUdp} iperf3 datagrams of ${figures.offeredPackets} sent), ` +
      `lost to the decoder ${figures.lostToDecoder}, dropped by the kernel ${figures.droppedByKernel}`,
  );
}

/** Brings the capture lab up and pings once, so that ARP and the FDB have learned before the clock starts. */
export async function upCaptureLab(context: BenchContext, bench: BenchLab): Promise<{ hostA: BenchContainer; hostB: BenchContainer }> {
  const { lab } = bench;
  context.guard.track(lab.name);
  await context.engine.up(lab, undefined, { sourceText: bench.text });
  const hostA = context.engine.docker.getContainer(hostContainerName(lab.name, BASICS.client.host));
  const hostB = context.engine.docker.getContainer(hostContainerName(lab.name, BASICS.server.host));
  await execCapture(hostA, ['docker', 'exec', BASICS.client.container, 'ping', '-c', '2', '-i', '0.2', BASICS.server.overlayIp]);
  return { hostA, hostB };
}

type BenchContainer = ReturnType<BenchContext['engine']['docker']['getContainer']>;

/** iperf3 UDP at a set packet rate; returns the datagrams it sent. Retries a server not listening yet. */
export async function sendUdp(host: BenchContainer, pps: number, seconds: number): Promise<number> {
  const bits = pps * DATAGRAM_BYTES * 8;
  const client = ['docker', 'exec', BASICS.client.container, 'iperf3', '-c', BASICS.server.overlayIp, '-p', String(IPERF_PORT), '-u', '-b', String(bits), '-l', String(DATAGRAM_BYTES), '-t', String(seconds), '-J'];
  for (let attempt = 1; ; attempt++) {
    const result = await execCapture(host, client);
    if (result.stdout.includes('Connection refused') && attempt < 5) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    let report: { error?: string; end?: { sum?: { packets?: number } } };
    try {
      report = JSON.parse(result.stdout) as typeof report;
    } catch {
      throw new Error(`iperf3 (exit ${result.exitCode}) printed no JSON report: ${(result.stdout + result.stderr).trim().slice(0, 300)}`);
    }
    const packets = report.end?.sum?.packets;
    if (report.error || result.exitCode !== 0 || packets === undefined) throw new Error(`iperf3 UDP failed (exit ${result.exitCode}): ${report.error ?? 'no packet count in its report'}`);
    return packets;
  }
}

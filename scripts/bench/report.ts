// What the bench found, as one object (printed whole with --json) and as a table.
import type { CaptureUiFigures } from './capture-ui.js';
import type { EditorFigures } from './editor-frames.js';
// A figure the bench could not measure stays null and its reason is in `errors`.

export interface FirstPingFigures {
  lab: string;
  target: string;
  /** From calling `up` until it returned. */
  upMs: number | null;
  /** From calling `up` until the first echo reply. */
  firstPingMs: number | null;
  /** Pings sent until one was answered. */
  pings: number | null;
  downMs: number | null;
}

export interface TenHostFigures {
  lab: string;
  hosts: number;
  upMs: number | null;
  downMs: number | null;
  /** How long after `up` returned the memory was read. */
  idleSettleMs: number;
  idleMemoryMiB: { mean: number; min: number; max: number; perHost: Record<string, number> } | null;
}

export interface PathFigures {
  /** Receiver-side rate of each iperf3 run, in the order they ran. */
  runsGbps: number[];
  medianGbps: number | null;
  rtt: { minMs: number; avgMs: number; maxMs: number; lossPercent: number } | null;
  measures: string;
}

export interface PathsFigures {
  lab: string;
  rounds: number;
  secondsPerRun: number;
  overlay: PathFigures;
  underlay: PathFigures;
  /** Overlay over underlay median throughput. */
  throughputRatio: number | null;
  /** Overlay over underlay average RTT. */
  rttRatio: number | null;
}

export interface TargetCheck {
  figure: string;
  value: number | null;
  unit: string;
  target: string;
  /** null: the figure itself could not be measured. */
  met: boolean | null;
}

export interface BenchReport {
  ok: boolean;
  startedAt: string;
  /** The sections this run measured (--only narrows them); the others' figures stay null. */
  sections: ('labs' | 'editor' | 'capture' | 'capture-ui')[];
  machine: { cpus: number; loadAverage1mAtStart: number; dockerVersion: string | null; kernel: string | null };
  firstPing: FirstPingFigures;
  tenHosts: TenHostFigures;
  paths: PathsFigures;
  editor: EditorFigures;
  capture: CaptureFigures;
  captureUi: CaptureUiFigures;
  targets: TargetCheck[];
  errors: { section: string; message: string }[];
}

export interface CaptureFigures {
  lab: string;
  targetPps: number;
  seconds: number;
  /** UDP datagrams iperf3 sent: each is one VXLAN packet on host-a's eth0. */
  offeredPackets: number | null;
  /** tcpdump's own "packets captured" in host-a. */
  tcpdumpCaptured: number | null;
  droppedByKernel: number | null;
  /** Frames that reached the decoder and were decoded. */
  decoded: number | null;
  /** Of those, VXLAN (VNI 42) packets carrying an inner UDP datagram. */
  vxlanDatagramsDecoded: number | null;
  /** tcpdump's count less the frames decoded: lost between the node and the decoder. */
  lostToDecoder: number | null;
  /** Decoded frames over the span of their capture timestamps. */
  capturedPps: number | null;
  decodeUsPerPacket: number | null;
  batches: number | null;
  largestBatch: number | null;
  /** Growth of this process's resident memory during the capture. */
  rssGrowthMiB: number | null;
}

export const TARGETS = {
  firstPingMs: 5000,
  tenHostsUpMs: 25000,
  throughputRatio: 0.8,
  /** A frame of the UI thread while packets flow: the panel stays responsive. */
  captureUiP95FrameMs: 50,
} as const;

export function checkTargets(report: BenchReport): TargetCheck[] {
  const atMost = (value: number | null, limit: number) => (value === null ? null : value <= limit);
  const atLeast = (value: number | null, limit: number) => (value === null ? null : value >= limit);
  return [
    {
      figure: 'first ping',
      value: report.firstPing.firstPingMs,
      unit: 'ms',
      target: `<= ${TARGETS.firstPingMs / 1000} s`,
      met: atMost(report.firstPing.firstPingMs, TARGETS.firstPingMs),
    },
    {
      figure: `${report.tenHosts.hosts} hosts up`,
      value: report.tenHosts.upMs,
      unit: 'ms',
      target: `<= ${TARGETS.tenHostsUpMs / 1000} s`,
      met: atMost(report.tenHosts.upMs, TARGETS.tenHostsUpMs),
    },
    {
      figure: 'overlay/underlay throughput',
      value: report.paths.throughputRatio,
      unit: 'ratio',
      target: `>= ${TARGETS.throughputRatio}`,
      met: atLeast(report.paths.throughputRatio, TARGETS.throughputRatio),
    },
    {
      figure: 'capture keeps up',
      value: report.capture.capturedPps,
      unit: 'packets/s',
      target: `${report.capture.targetPps} packets/s for ${report.capture.seconds} s, none lost`,
      met: captureKeptUp(report.capture),
    },
    {
      figure: 'capture panel keeps up',
      value: report.captureUi.p95FrameMs,
      unit: 'ms',
      target: `count = tcpdump's, p95 frame <= ${TARGETS.captureUiP95FrameMs} ms`,
      met: capturePanelKeptUp(report.captureUi),
    },
  ];
}

/** Every datagram sent was captured and decoded: none lost on the way, none dropped by the kernel. */
function captureKeptUp(figures: CaptureFigures): boolean | null {
  const { offeredPackets, vxlanDatagramsDecoded, lostToDecoder, droppedByKernel } = figures;
  if (offeredPackets === null || vxlanDatagramsDecoded === null || lostToDecoder === null || droppedByKernel === null) return null;
  return lostToDecoder === 0 && droppedByKernel === 0 && vxlanDatagramsDecoded >= offeredPackets;
}

/** The panel counted every packet tcpdump captured, and its UI thread kept drawing frames. */
function capturePanelKeptUp(figures: CaptureUiFigures): boolean | null {
  const { tcpdumpCaptured, panelCount, p95FrameMs } = figures;
  if (tcpdumpCaptured === null || panelCount === null || p95FrameMs === null) return null;
  return panelCount === tcpdumpCaptured && p95FrameMs <= TARGETS.captureUiP95FrameMs;
}

type Row = [figure: string, value: string, target: string, met: string];

export function renderTable(report: BenchReport): string {
  const [firstPingTarget, tenHostsTarget, ratioTarget, captureTarget, captureUiTarget] = report.targets;
  const { capture } = report;
  const { firstPing, tenHosts, paths } = report;
  const memory = tenHosts.idleMemoryMiB;
  const labRows: Row[] = [
    targetRow(`first ping, ${firstPing.lab} (up start -> reply)`, seconds(firstPing.firstPingMs), firstPingTarget),
    [`  of which up (then reply to ping #${firstPing.pings ?? '?'})`, seconds(firstPing.upMs), '', ''],
    [`  ${firstPing.lab} down`, seconds(firstPing.downMs), '', ''],
    targetRow(`${tenHosts.hosts} hosts up, ${tenHosts.lab}`, seconds(tenHosts.upMs), tenHostsTarget),
    [`  ${tenHosts.lab} down`, seconds(tenHosts.downMs), '', ''],
    [
      '  idle memory per host, mean',
      memory ? `${memory.mean.toFixed(1)} MiB (${memory.min.toFixed(1)}-${memory.max.toFixed(1)})` : 'n/a',
      '',
      '',
    ],
    [`overlay throughput, median of ${paths.overlay.runsGbps.length}`, gbps(paths.overlay.medianGbps), '', ''],
    [`underlay throughput, median of ${paths.underlay.runsGbps.length}`, gbps(paths.underlay.medianGbps), '', ''],
    targetRow('overlay/underlay throughput', ratio(paths.throughputRatio), ratioTarget),
    ['overlay RTT, ping avg', ms(paths.overlay.rtt?.avgMs), '', ''],
    ['underlay RTT, ping avg', ms(paths.underlay.rtt?.avgMs), '', ''],
    ['overlay/underlay RTT', ratio(paths.rttRatio), '', ''],
  ];
  const editorRows: Row[] = [
    [`editor: drag a host, ${report.editor.elements} elements, median frame`, msShort(report.editor.medianFrameMs), '', ''],
    [`  p95 frame / worst frame (${report.editor.frames} frames)`, `${msShort(report.editor.p95FrameMs)} / ${msShort(report.editor.maxFrameMs)}`, '', ''],
  ];
  const captureRows: Row[] = [
    targetRow(`capture and decode, ${capture.lab} host-a eth0`, capture.capturedPps === null ? 'n/a' : `${capture.capturedPps} packets/s`, captureTarget),
    [`  datagrams sent / decoded as VXLAN`, `${capture.offeredPackets ?? 'n/a'} / ${capture.vxlanDatagramsDecoded ?? 'n/a'}`, '', ''],
    [`  tcpdump captured / decoded (lost)`, `${capture.tcpdumpCaptured ?? 'n/a'} / ${capture.decoded ?? 'n/a'} (${capture.lostToDecoder ?? 'n/a'})`, '', ''],
    [`  dropped by the kernel`, String(capture.droppedByKernel ?? 'n/a'), '', ''],
    [`  decode per packet`, capture.decodeUsPerPacket === null ? 'n/a' : `${capture.decodeUsPerPacket.toFixed(2)} µs`, '', ''],
    [`  batches (largest) / memory growth`, `${capture.batches ?? 'n/a'} (${capture.largestBatch ?? 'n/a'}) / ${capture.rssGrowthMiB ?? 'n/a'} MiB`, '', ''],
  ];
  const ui = report.captureUi;
  const captureUiRows: Row[] = [
    targetRow(`capture panel, ${ui.lab} host-a eth0, p95 frame`, msShort(ui.p95FrameMs), captureUiTarget),
    [`  median / worst frame (${ui.frames} frames)`, `${msShort(ui.medianFrameMs)} / ${msShort(ui.maxFrameMs)}`, '', ''],
    [`  long tasks (longest)`, ui.longTasks === null ? 'n/a' : `${ui.longTasks} (${ui.longestTaskMs ?? 'n/a'} ms)`, '', ''],
    [`  tcpdump captured / delivered / panel count`, `${ui.tcpdumpCaptured ?? 'n/a'} / ${ui.framesDelivered ?? 'n/a'} / ${ui.panelCount ?? 'n/a'}`, '', ''],
    [`  dropped by the kernel`, String(ui.droppedByKernel ?? 'n/a'), '', ''],
    [`  datagrams sent / packets the panel keeps`, `${ui.offeredPackets ?? 'n/a'} / ${ui.panelKept ?? 'n/a'}`, '', ''],
    [`  JS heap before / after`, `${ui.heapBeforeMiB ?? 'n/a'} / ${ui.heapAfterMiB ?? 'n/a'} MiB`, '', ''],
  ];
  const ran = new Set(report.sections);
  const rows = [...(ran.has('labs') ? labRows : []), ...(ran.has('editor') ? editorRows : []), ...(ran.has('capture') ? captureRows : []), ...(ran.has('capture-ui') ? captureUiRows : [])];
  const notes = measuredNotes(report).filter((note) => ran.has(note.section));
  const lines = [formatRows([['FIGURE', 'VALUE', 'TARGET', 'MET'], ...rows])];
  lines.push('', 'What the figures measure:', ...notes.map((note) => `  - ${note.text}`));
  lines.push(
    '',
    `Machine: ${report.machine.cpus} CPUs, load ${report.machine.loadAverage1mAtStart.toFixed(2)} at start, ` +
      `Docker ${report.machine.dockerVersion ?? '?'}, kernel ${report.machine.kernel ?? '?'}. Shared machine: expect noise.`,
  );
  if (report.errors.length > 0) {
    lines.push('', 'MEASUREMENTS THAT FAILED:', ...report.errors.map((e) => `  - ${e.section}: ${e.message.replace(/\n\s*/g, '\n    ')}`));
  }
  return lines.join('\n') + '\n';
}

function measuredNotes(report: BenchReport): { section: BenchReport['sections'][number]; text: string }[] {
  const { paths } = report;
  const labs = (text: string) => ({ section: 'labs' as const, text });
  return [
    labs(
      `first ping: wall time from calling up (images already built) to the first echo reply container1 -> 10.0.2.3; ` +
        'polled in one exec with `ping -c 1 -W 1` from container1\'s network namespace, every 50 ms.',
    ),
    labs(
      `up/down: wall time of LabEngine.up/down; idle memory: each host container's memory usage less inactive file cache ` +
        `(docker stats), inner engine and its container included, read ${report.tenHosts.idleSettleMs / 1000} s after up returned.`,
    ),
    labs(`overlay: ${paths.overlay.measures}`),
    labs(`underlay: ${paths.underlay.measures}`),
    {
      section: 'editor',
      text:
        `editor: vxlab serve in headless Chromium (software rendering, no GPU); a ${report.editor.elements}-element lab ` +
        `(20 hosts, 160 containers, 20 overlays) opened from a file, host-1 dragged by its header ${report.editor.dragMs ?? '?'} ms with the mouse; ` +
        'frames timed with requestAnimationFrame in the page (16.7 ms = 60 fps).',
    },
    {
      section: 'capture',
      text:
        `capture: iperf3 UDP, ${report.capture.targetPps} datagrams/s of 100 bytes for ${report.capture.seconds} s, container1 -> container2; ` +
        "captured on host-a's eth0 with `udp port 4789` (tcpdump in host-a, as `vxlab capture` runs it), every frame decoded by vxlab's decoder; " +
        "packets/s: decoded frames over the span of their timestamps; lost: tcpdump's own count less the frames decoded.",
    },
    {
      section: 'capture-ui',
      text:
        `capture panel: the same flood with ${report.captureUi.lab} opened from its file in vxlab serve in headless Chromium, ` +
        "captured from host-a's context menu (Capture…, no filter); frames timed with requestAnimationFrame and long tasks " +
        "by PerformanceObserver while packets flowed; delivered: frames in the page's capture-frames events; " +
        "panel count: the panel's packet count once stopped; heap: performance.memory's used JS heap after a collection.",
    },
    labs(
      `throughput: iperf3, one TCP stream, ${paths.secondsPerRun} s per run after 1 s left out (slow start), ` +
        `${paths.rounds} round${paths.rounds === 1 ? '' : 's'} alternating the paths; RTT: ping -c 20 -i 0.2, avg.`,
    ),
  ];
}

function targetRow(figure: string, value: string, check: TargetCheck | undefined): Row {
  const met = check?.met === null || check === undefined ? 'n/a' : check.met ? 'yes' : 'NO';
  return [figure, value, check?.target ?? '', met];
}

function formatRows(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

const seconds = (value: number | null) => (value === null ? 'n/a' : `${(value / 1000).toFixed(2)} s`);
const gbps = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(2)} Gbit/s`);
const ms = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(3)} ms`);
const msShort = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(1)} ms`);
const ratio = (value: number | null) => (value === null ? 'n/a' : value.toFixed(2));

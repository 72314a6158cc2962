// The capture section once more, in the app: does the capture panel keep up with 10,000
// packets/s for 10 s and stay responsive? The bench lab is brought up by the bench and
// opened from its file in `vxlab serve` in headless Chromium; a person's way to a capture
// follows (host-a's context menu, "Capture…"), then iperf3 floods the overlay as in the
// engine's capture section. In the page: the UI thread's frame times and long tasks while
// packets flow, the panel's packet count against tcpdump's own, and the JS heap.
import type { Locator, Page, WebSocket } from 'playwright-core';
import { execCapture } from '../../electron/engine/exec.js';
import { serve } from '../../electron/transport/serve.js';
import { launchChromium } from '../chromium.js';
import { IPERF_PORT, sendUdp, upCaptureLab } from './capture.js';
import type { BenchLab } from './labs.js';
import { BASICS } from './labs.js';
import { percentile, roundTo } from './numbers.js';
import type { BenchContext } from './sections.js';

export interface CaptureUiFigures {
  lab: string;
  targetPps: number;
  seconds: number;
  /** UDP datagrams iperf3 sent. */
  offeredPackets: number | null;
  /** tcpdump's own "packets captured", as its capture-ended event told the page. */
  tcpdumpCaptured: number | null;
  droppedByKernel: number | null;
  /** Frames the page's connection received in capture-frames events. */
  framesDelivered: number | null;
  /** The count the capture panel shows once the capture ended. */
  panelCount: number | null;
  /** Packets the panel kept (the rest dropped, oldest first, to bound memory). */
  panelKept: number | null;
  frames: number;
  medianFrameMs: number | null;
  p95FrameMs: number | null;
  maxFrameMs: number | null;
  /** Long tasks (over 50 ms) on the UI thread while packets flowed; null when the browser does not report them. */
  longTasks: number | null;
  longestTaskMs: number | null;
  /** performance.memory's used JS heap after a collection, before the capture and after it ended. */
  heapBeforeMiB: number | null;
  heapAfterMiB: number | null;
}

export function emptyCaptureUiFigures(lab: string): CaptureUiFigures {
  return {
    lab,
    targetPps: 10_000,
    seconds: 10,
    offeredPackets: null,
    tcpdumpCaptured: null,
    droppedByKernel: null,
    framesDelivered: null,
    panelCount: null,
    panelKept: null,
    frames: 0,
    medianFrameMs: null,
    p95FrameMs: null,
    maxFrameMs: null,
    longTasks: null,
    longestTaskMs: null,
    heapBeforeMiB: null,
    heapAfterMiB: null,
  };
}

/** Packets still on their way when iperf3 returns, and tcpdump's last flush. */
const DRAIN_MS = 1000;
const MiB = 1024 * 1024;
// Page scripts go as text: the TypeScript runner would wrap functions in helpers the page lacks.
const START_CLOCKS = `(() => {
  const state = { deltas: [], last: performance.now(), running: true, longTasks: [], observed: false };
  window.__captureUi = state;
  const tick = (now) => { state.deltas.push(now - state.last); state.last = now; if (state.running) requestAnimationFrame(tick); };
  requestAnimationFrame((now) => { state.last = now; requestAnimationFrame(tick); });
  if ((PerformanceObserver.supportedEntryTypes || []).includes('longtask')) {
    state.observed = true;
    state.observer = new PerformanceObserver((list) => { for (const entry of list.getEntries()) state.longTasks.push(entry.duration); });
    state.observer.observe({ type: 'longtask' });
  }
})()`;
const STOP_CLOCKS = `(() => {
  const state = window.__captureUi;
  state.running = false;
  if (state.observer) { for (const entry of state.observer.takeRecords()) state.longTasks.push(entry.duration); state.observer.disconnect(); }
  return { deltas: state.deltas, longTasks: state.observed ? state.longTasks : null };
})()`;
const USED_HEAP = `(() => (performance.memory ? performance.memory.usedJSHeapSize : null))()`;

export async function measureCaptureUi(context: BenchContext, bench: BenchLab, figures: CaptureUiFigures): Promise<void> {
  const { lab } = bench;
  const { hostA, hostB } = await upCaptureLab(context, bench);

  // The app's engine reads the bench's lab store, so it sees the lab the bench brought up as running.
  const previousState = process.env.VXLAB_STATE_DIR;
  process.env.VXLAB_STATE_DIR = context.engine.store.directory;
  const server = await serve({ log: context.log });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const wire = watchCaptureEvents(page);
    await page.goto(server.url);
    context.log(`bench: opening ${lab.name} in the app and capturing on host-a eth0 from its context menu`);
    await page.locator('input[type="file"]').setInputFiles({ name: `${lab.name}.yaml`, mimeType: 'application/yaml', buffer: Buffer.from(bench.text) });
    await page.getByRole('button', { name: 'Apply', exact: true }).waitFor({ state: 'visible', timeout: 60_000 });
    await fromMenu(page, 'host-a', 'Capture…');
    const panel = page.getByRole('tabpanel', { name: 'Capture host-a' });
    await panel.getByText('Capturing on host-a eth0').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500); // the panel's first render settles

    figures.heapBeforeMiB = await usedHeapMiB(page);
    await page.evaluate(START_CLOCKS);
    context.log(`bench: ${figures.targetPps} UDP datagrams/s for ${figures.seconds} s while the page captures`);
    await execCapture(hostB, ['docker', 'exec', '-d', BASICS.server.container, 'iperf3', '-s', '-1', '-p', String(IPERF_PORT)]);
    figures.offeredPackets = await sendUdp(hostA, figures.targetPps, figures.seconds);
    await page.waitForTimeout(DRAIN_MS);
    const clocks = (await page.evaluate(STOP_CLOCKS)) as { deltas: number[]; longTasks: number[] | null };

    await panel.getByRole('button', { name: 'Stop', exact: true }).click();
    const end = await wire.ended();
    figures.tcpdumpCaptured = end.captured ?? null;
    figures.droppedByKernel = end.droppedByKernel ?? null;
    await panel.getByText(/^Capture on host-a eth0 ended/).waitFor({ timeout: 30_000 });
    figures.framesDelivered = wire.delivered();
    const shown = await panelCounts(page, panel);
    figures.panelCount = shown.count;
    figures.panelKept = shown.kept;
    figures.heapAfterMiB = await usedHeapMiB(page);

    const deltas = clocks.deltas.slice(1);
    figures.frames = deltas.length;
    if (deltas.length > 0) {
      figures.medianFrameMs = roundTo(percentile(deltas, 50), 1);
      figures.p95FrameMs = roundTo(percentile(deltas, 95), 1);
      figures.maxFrameMs = roundTo(Math.max(...deltas), 1);
    }
    if (clocks.longTasks) {
      figures.longTasks = clocks.longTasks.length;
      figures.longestTaskMs = clocks.longTasks.length === 0 ? 0 : Math.round(Math.max(...clocks.longTasks));
    }
    context.log(
      `bench: tcpdump captured ${figures.tcpdumpCaptured}, delivered to the page ${figures.framesDelivered}, the panel counts ${figures.panelCount} ` +
        `(keeps ${figures.panelKept}); frames median ${figures.medianFrameMs} ms, p95 ${figures.p95FrameMs} ms, worst ${figures.maxFrameMs} ms`,
    );
  } finally {
    await browser.close();
    await server.close();
    if (previousState === undefined) delete process.env.VXLAB_STATE_DIR;
    else process.env.VXLAB_STATE_DIR = previousState;
  }
}

/** The node's context menu item, as a person right-clicks the node's title. */
async function fromMenu(page: Page, node: string, item: string): Promise<void> {
  await page.locator(`.react-flow__node[aria-label="${node}"]`).click({ button: 'right', position: { x: 40, y: 12 } });
  await page.getByRole('menu', { name: `Actions for ${node}` }).getByRole('menuitem', { name: item }).click();
}

interface CaptureEnded {
  captured?: number;
  droppedByKernel?: number;
}

/** Counts the frames the page's connection receives and catches the capture's end, off the wire, beside the page. */
function watchCaptureEvents(page: Page): { delivered(): number; ended(): Promise<CaptureEnded> } {
  let delivered = 0;
  let resolveEnded: (end: CaptureEnded) => void = () => {};
  const ended = new Promise<CaptureEnded>((resolve) => (resolveEnded = resolve));
  const onFrame = (payload: string | Buffer) => {
    const text = typeof payload === 'string' ? payload : payload.toString('utf8');
    if (!text.includes('"capture-')) return;
    const message = JSON.parse(text) as { event?: { type?: string; frames?: unknown[] } & CaptureEnded };
    if (message.event?.type === 'capture-frames') delivered += message.event.frames?.length ?? 0;
    else if (message.event?.type === 'capture-ended') resolveEnded(message.event);
  };
  page.on('websocket', (socket: WebSocket) => socket.on('framereceived', (frame) => onFrame(frame.payload)));
  return { delivered: () => delivered, ended: () => withTimeout(ended, 30_000, 'the capture never ended after Stop') };
}

/** The panel's "N packets" and, when it dropped the oldest, how many it keeps; read once they stop changing. */
async function panelCounts(page: Page, panel: Locator): Promise<{ count: number; kept: number }> {
  const read = async () => ({
    count: (await panel.locator('.xr-count').textContent()) ?? '',
    badge: (await panel.locator('.xr-badge', { hasText: 'oldest dropped' }).allTextContents()).join(' '),
  });
  const number = (text: string) => Number(text.replace(/,/g, ''));
  let last = await read();
  for (let attempt = 0; attempt < 100; attempt++) {
    await page.waitForTimeout(300);
    const now = await read();
    if (now.count === last.count) {
      const count = number(/^([\d,]+)/.exec(now.count.trim())?.[1] ?? 'NaN');
      if (!Number.isFinite(count)) throw new Error(`the capture panel shows no packet count (${JSON.stringify(now.count)})`);
      const kept = /keeps the newest ([\d,]+)/.exec(now.badge)?.[1];
      return { count, kept: kept === undefined ? count : number(kept) };
    }
    last = now;
  }
  throw new Error(`the capture panel's count kept changing after the capture ended (${last.count})`);
}

/** The used JS heap after a full collection (over the DevTools protocol), in MiB. */
async function usedHeapMiB(page: Page): Promise<number | null> {
  const session = await page.context().newCDPSession(page);
  try {
    await session.send('HeapProfiler.collectGarbage');
  } finally {
    await session.detach();
  }
  const used = (await page.evaluate(USED_HEAP)) as number | null;
  return used === null ? null : roundTo(used / MiB, 1);
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

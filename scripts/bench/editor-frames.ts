// Frame times while dragging a host in a 200-element lab, in the real renderer served
// by `vxlab serve` and drawn by headless Chromium. Frames are timed in the page with
// requestAnimationFrame while the mouse moves the host across the canvas.
import type { Page } from 'playwright-core';
import { generateLargeLab } from '../../electron/lab/sample-labs.js';
import { serializeLabDocument } from '../../electron/lab/document.js';
import { serve } from '../../electron/transport/serve.js';
import { launchChromium } from '../chromium.js';
import { percentile } from './numbers.js';

export interface EditorFigures {
  elements: number;
  frames: number;
  medianFrameMs: number | null;
  p95FrameMs: number | null;
  maxFrameMs: number | null;
  /** Wall time of the whole drag (mouse down to mouse up). */
  dragMs: number | null;
}

/** 20 hosts, 160 containers and 20 overlays: the 200 elements the editor must stay smooth at. */
const LARGE = { hosts: 20, containersPerHost: 8, overlays: 20 } as const;
const DRAG_STEPS = 90;
// Page scripts go as text: the TypeScript runner would wrap functions in helpers the page lacks.
const START_FRAME_CLOCK = `(() => {
  const state = { deltas: [], last: performance.now(), running: true };
  window.__frames = state;
  const tick = (now) => { state.deltas.push(now - state.last); state.last = now; if (state.running) requestAnimationFrame(tick); };
  requestAnimationFrame((now) => { state.last = now; requestAnimationFrame(tick); });
})()`;
const STOP_FRAME_CLOCK = `(() => { window.__frames.running = false; return window.__frames.deltas; })()`;
const DRAG_DISTANCE = 360;

export async function measureEditorFrames(log: (line: string) => void, figures: EditorFigures): Promise<void> {
  const document = generateLargeLab(LARGE.hosts, LARGE.containersPerHost, LARGE.overlays);
  figures.elements = LARGE.hosts + LARGE.hosts * LARGE.containersPerHost + LARGE.overlays;
  const server = await serve({ log });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(server.url);
    log(`bench: opening a ${figures.elements}-element lab in the editor`);
    await page.locator('input[type="file"]').setInputFiles({
      name: 'large.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from(serializeLabDocument(document)),
    });
    const host = page.locator('.react-flow__node[aria-label="host-1"]');
    await host.waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500); // let the first layout settle
    const box = await host.boundingBox();
    // Grab the host by its header: the lab is fitted into view, so host-1 is drawn small
    // and a fixed offset into its box lands on one of its containers, which then moves instead.
    const header = await host.locator('.vx-host-header').boundingBox();
    if (!box || !header) throw new Error('host-1 is not on screen');
    const frames = await dragAndTime(page, header.x + header.width / 2, header.y + header.height / 2);
    const after = await host.boundingBox();
    // Frames of a drag that moved nothing would say nothing about dragging.
    if (!after || Math.abs(after.x - box.x) < DRAG_DISTANCE / 2) throw new Error('the drag did not move host-1 on the canvas');
    figures.frames = frames.deltas.length;
    figures.medianFrameMs = round(percentile(frames.deltas, 50));
    figures.p95FrameMs = round(percentile(frames.deltas, 95));
    figures.maxFrameMs = round(Math.max(...frames.deltas));
    figures.dragMs = Math.round(frames.dragMs);
  } finally {
    await browser.close();
    await server.close();
  }
}

async function dragAndTime(page: Page, x: number, y: number): Promise<{ deltas: number[]; dragMs: number }> {
  await page.evaluate(START_FRAME_CLOCK);
  const started = Date.now();
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let step = 1; step <= DRAG_STEPS; step++) {
    await page.mouse.move(x + (DRAG_DISTANCE * step) / DRAG_STEPS, y + (DRAG_DISTANCE / 3) * Math.sin((step / DRAG_STEPS) * Math.PI));
  }
  await page.mouse.up();
  const dragMs = Date.now() - started;
  const deltas = (await page.evaluate(STOP_FRAME_CLOCK)) as number[];
  return { deltas: deltas.slice(1), dragMs };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

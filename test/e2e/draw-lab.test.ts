// 2. Draw a lab from nothing by drag-and-drop (2 hosts, 1 overlay, 2 containers),
//    Launch, and ping from one container to the other in a terminal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { escapeRegExp, leftovers, nothingLeft, testEngine, testUnderlay, uniqueName } from '../engine/lab-harness.js';
import type { E2eSession } from './browser.js';
import { keepScreenshot, startSession } from './browser.js';
import { button, canvasNode, destroyLab, typeInTerminal, waitForTerminalText, waitUntilRunning } from './app-helpers.js';

let session: E2eSession;
let labName = '';

const canvas = (page: Page) => page.locator('.vx-canvas');
const nodesOfKind = (page: Page, kind: 'host' | 'container' | 'overlay') => page.locator(`.react-flow__node-${kind}`);

async function names(nodes: Locator): Promise<string[]> {
  return nodes.evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label') ?? ''));
}

/** Drags a palette item onto the canvas at a point (relative to the canvas) and returns the new node's name. */
async function dropFromPalette(page: Page, item: string, kind: 'host' | 'container' | 'overlay', target: Locator, at: { x: number; y: number }): Promise<string> {
  const before = await names(nodesOfKind(page, kind));
  await page.getByRole('button', { name: item, exact: true }).dragTo(target, { targetPosition: at });
  await expect.poll(async () => (await names(nodesOfKind(page, kind))).length).toBe(before.length + 1);
  const added = (await names(nodesOfKind(page, kind))).find((name) => !before.includes(name));
  if (!added) throw new Error(`no new ${kind} appeared on the canvas`);
  return added;
}

/** Drags from a container's handle to an overlay's handle: attaches it. */
async function connect(page: Page, container: string, overlay: string): Promise<void> {
  const from = await page.getByLabel(`Connect ${container} to an overlay network`).boundingBox();
  const to = await page.getByLabel(`Attach a container to ${overlay}`).boundingBox();
  if (!from || !to) throw new Error('a handle is not on screen');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 8 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
  await page.mouse.up();
}

/** React Flow draws a child node beside its parent in the DOM: compare their boxes. */
async function inside(page: Page, child: string, parent: string): Promise<boolean> {
  const a = await canvasNode(page, child).boundingBox();
  const b = await canvasNode(page, parent).boundingBox();
  return !!a && !!b && a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;
}

async function overlayAddress(page: Page, container: string): Promise<string> {
  const text = await canvasNode(page, container).innerText();
  const match = /\b(\d+\.\d+\.\d+\.\d+)\b/.exec(text);
  if (!match?.[1]) throw new Error(`${container} shows no address: ${text}`);
  return match[1];
}

describe('a lab drawn from nothing', () => {
  beforeAll(async () => {
    session = await startSession();
  });
  afterAll(async () => {
    await session.close();
    if (labName) {
      const left = await leftovers(labName);
      await testEngine().down(labName);
      expect(left).toEqual(nothingLeft);
    }
  });

  it('is drawn by drag-and-drop, launches, and its containers ping each other', async () => {
    const { page, server } = session;
    await page.goto(server.url);
    await page.getByRole('button', { name: /New lab/ }).first().click();
    await canvas(page).waitFor();
    expect((await page.getByRole('textbox', { name: 'Name' }).inputValue()).trim()).not.toBe('');

    // From nothing: the new lab's starter host goes first.
    for (const host of await names(nodesOfKind(page, 'host'))) {
      await canvasNode(page, host).click();
      await page.keyboard.press('Delete');
    }
    await expect.poll(() => nodesOfKind(page, 'host').count()).toBe(0);

    // A name and an underlay of the test's own, typed as a person would: a person's
    // new-lab on the editor's default underlay may be running meanwhile.
    labName = uniqueName('e2e-draw');
    await page.getByRole('textbox', { name: 'Name' }).fill(labName);
    await page.getByRole('textbox', { name: 'Name' }).press('Tab');
    await page.getByRole('textbox', { name: 'Underlay subnet' }).fill(testUnderlay('e2e-draw-lab').subnet);
    await page.getByRole('textbox', { name: 'Underlay subnet' }).press('Tab');

    const hostA = await dropFromPalette(page, 'Add host', 'host', canvas(page), { x: 150, y: 70 });
    const hostB = await dropFromPalette(page, 'Add host', 'host', canvas(page), { x: 560, y: 70 });
    const overlay = await dropFromPalette(page, 'Add overlay network', 'overlay', canvas(page), { x: 400, y: 360 });
    const containerA = await dropFromPalette(page, 'Add container', 'container', canvasNode(page, hostA), { x: 60, y: 60 });
    const containerB = await dropFromPalette(page, 'Add container', 'container', canvasNode(page, hostB), { x: 60, y: 60 });
    expect(await inside(page, containerA, hostA)).toBe(true);
    expect(await inside(page, containerB, hostB)).toBe(true);
    for (const host of [hostA, hostB]) {
      expect(await canvasNode(page, host).locator('.vx-address').innerText()).toMatch(new RegExp(`^${escapeRegExp(testUnderlay('e2e-draw-lab').prefix)}\\d+$`));
    }

    await connect(page, containerA, overlay);
    await connect(page, containerB, overlay);
    await expect.poll(() => page.locator('.react-flow__edge-attachment').count()).toBe(2);
    await expect.poll(() => page.locator('.react-flow__edge-tunnel').count()).toBe(1);
    const target = await overlayAddress(page, containerB);
    await keepScreenshot(page, 'draw-lab-drawn');

    await expect.poll(() => button(page, 'Launch').isEnabled()).toBe(true);
    await button(page, 'Launch').click();
    await waitUntilRunning(page);

    await canvasNode(page, containerA).dblclick();
    await waitForTerminalText(page, /[#$]\s*$/m);
    await typeInTerminal(page, `ping -c 3 ${target}`);
    const output = await waitForTerminalText(page, /\d+% packet loss/);
    expect(output).toMatch(/3 received, 0% packet loss/);
    await keepScreenshot(page, 'draw-lab-ping');

    await destroyLab(page);
    await keepScreenshot(page, 'draw-lab-destroyed');
  });
});

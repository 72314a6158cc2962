// 3. An invalid edit (a duplicate IP) shows an error and disables Launch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2eSession } from './browser.js';
import { keepScreenshot, startSession } from './browser.js';
import { button, canvasNode, unnamedControls } from './app-helpers.js';

let session: E2eSession;

describe('an invalid edit in the editor', () => {
  beforeAll(async () => {
    session = await startSession();
  });
  afterAll(async () => {
    await session.close();
  });

  it('gives every control and every node on the canvas an accessible name', async () => {
    const { page, server } = session;
    await page.goto(server.url);
    await page.getByRole('button', { name: /Containers on two hosts over VXLAN/ }).click();
    await canvasNode(page, 'container1').waitFor();
    const unnamed = await unnamedControls(page);
    expect(unnamed).toEqual([]);
    for (const node of ['host-a', 'host-b', 'container1', 'container2', 'blue']) {
      expect(await canvasNode(page, node).count()).toBe(1);
    }
    await keepScreenshot(page, 'accessible-names');
  });

  it('shows the duplicate IP on the element and in the problem list, and disables Launch', async () => {
    const { page, server } = session;
    await page.goto(server.url);
    await page.getByRole('button', { name: /Containers on two hosts over VXLAN/ }).click();
    await expect.poll(() => button(page, 'Launch').isEnabled()).toBe(true);

    await canvasNode(page, 'container2').click();
    const ip = page.getByRole('textbox', { name: /IP/ }).first();
    await ip.fill('10.0.1.2');
    await ip.press('Tab');

    const problems = page.getByRole('region', { name: 'Problems' });
    await expect.poll(() => problems.innerText()).toMatch(/10\.0\.1\.2/);
    await expect.poll(() => problems.innerText()).toMatch(/containers\[1\]\.interfaces\[0\]\.ip/);
    await expect.poll(() => canvasNode(page, 'container2').locator('[role="note"]').count()).toBeGreaterThan(0);
    expect(await button(page, 'Launch').isDisabled()).toBe(true);
    await keepScreenshot(page, 'invalid-edit');
  });
});

// The x-ray end to end in Chromium against the real engine: open the gallery's copy of
// vxlan-basics, capture on host-a and container1, watch host-a's tables, ping from a
// terminal, select a packet and see VNI 42 and both address pairs, open the paired view,
// see the learned entry marked new and highlighted in host-a's table, step through the
// walk and see the canvas follow it. The copy has a test name and underlay, so a
// person's own vxlan-basics may run meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { leftovers, nothingLeft, testEngine } from '../engine/lab-harness.js';
import type { E2eSession } from './browser.js';
import { galleryTemplate, keepScreenshot, startSession } from './browser.js';
import { canvasNode, destroyLab, launchBasics, typeInTerminal, unnamedControls, waitForTerminalText } from './app-helpers.js';

let session: E2eSession;
const template = galleryTemplate('vxlan-basics.yaml');

function addressOf(name: string): string {
  const host = template.lab.hosts.find((candidate) => candidate.name === name);
  const container = template.lab.containers.find((candidate) => candidate.name === name);
  const ip = host?.ip ?? container?.interfaces[0]?.ip;
  if (!ip) throw new Error(`${name} has no address in the template`);
  return ip;
}

/** The node's context menu item, as a person right-clicks the node's title. */
async function fromMenu(page: Page, node: string, item: string): Promise<void> {
  await canvasNode(page, node).click({ button: 'right', position: { x: 40, y: 12 } });
  await page.getByRole('menu', { name: `Actions for ${node}` }).getByRole('menuitem', { name: item }).click();
}

describe('the x-ray on vxlan-basics', () => {
  beforeAll(async () => {
    session = await startSession();
  });
  afterAll(async () => {
    await session.close();
    const left = await leftovers(template.name);
    await testEngine().down(template.name);
    expect(left).toEqual(nothingLeft);
  });

  it('captures a ping, shows its layers and pairing, marks the learned entry, and walks it hop by hop', async () => {
    const { page, server } = session;
    const [hostA, hostB, container1, container2] = ['host-a', 'host-b', 'container1', 'container2'].map(addressOf) as [string, string, string, string];
    await launchBasics(page, server.url);

    // Before any traffic: host-a's tables, a capture on its underlay and one in container1.
    await fromMenu(page, 'host-a', 'Tables');
    const tables = page.getByRole('tabpanel', { name: 'Tables host-a' });
    await tables.getByText(/^Live:/).waitFor({ timeout: 30_000 });
    await fromMenu(page, 'container1', 'Capture…');
    await page.getByRole('tabpanel', { name: 'Capture container1' }).getByText('Capturing on container1 eth0').waitFor({ timeout: 30_000 });
    await fromMenu(page, 'host-a', 'Capture…');
    const capture = page.getByRole('tabpanel', { name: 'Capture host-a' });
    await capture.getByText('Capturing on host-a eth0').waitFor({ timeout: 30_000 });

    await canvasNode(page, 'container1').dblclick();
    await waitForTerminalText(page, /[#$]\s*$/m);
    await typeInTerminal(page, `ping -c 3 ${container2}`);
    expect(await waitForTerminalText(page, /\d+% packet loss/)).toMatch(/3 packets transmitted, 3 received, 0% packet loss/);

    // The underlay's echo requests: VNI 42, outer host-a -> host-b, inner container1 -> container2.
    await page.getByRole('tab', { name: 'Capture host-a' }).click();
    await capture.getByRole('combobox', { name: 'Filter packets by VNI' }).selectOption('42');
    await capture.getByRole('searchbox', { name: 'Filter packets by text' }).fill('echo request');
    const grid = capture.getByRole('grid', { name: 'Packets of host-a eth0' });
    await expect.poll(() => grid.getByRole('row').count(), { timeout: 10_000 }).toBe(4);
    await grid.getByRole('row').nth(1).click();
    const tree = capture.getByRole('tree', { name: /^Layers of packet/ });
    await expect.poll(() => tree.getByRole('treeitem', { name: 'VXLAN VNI 42' }).count()).toBe(1);
    expect(await tree.getByRole('treeitem', { name: `Outer IPv4 ${hostA} → ${hostB}` }).count()).toBe(1);
    expect(await tree.getByRole('treeitem', { name: `Inner IPv4 ${container1} → ${container2}` }).count()).toBe(1);
    await capture.getByRole('figure', { name: 'VXLAN adds 50 bytes' }).waitFor();

    // The same echo request as container1 sent it, side by side.
    await capture.getByRole('combobox', { name: 'Pair with another capture' }).selectOption({ label: 'Capture container1' });
    const differences = capture.getByRole('region', { name: 'Paired view' }).getByRole('table', { name: 'What changed' });
    await expect.poll(() => differences.getByRole('row', { name: /^Encapsulation/ }).count(), { timeout: 10_000 }).toBe(1);
    await keepScreenshot(page, 'xray-paired');

    // host-a learned container2's MAC from that ping: marked new, and highlighted as the entry the selected packet used.
    await page.getByRole('tab', { name: 'Tables host-a' }).click();
    const fdb = tables.getByRole('table', { name: 'Forwarding database (FDB)' });
    await expect.poll(() => fdb.locator('tbody tr.is-new.is-used').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await fdb.locator('tbody tr.is-new.is-used').first().getAttribute('aria-label')).toContain('container2');
    await keepScreenshot(page, 'xray-tables');

    // The walk: step to host-a's VXLAN device; the canvas marks host-a and the tunnel.
    await fromMenu(page, 'container1', 'Trace to…');
    const walk = page.getByRole('tabpanel', { name: 'Trace from container1' });
    await walk.getByRole('button', { name: 'Trace' }).click();
    await walk.getByText(/^Step 1 of \d+: request, container1/).waitFor({ timeout: 60_000 });
    await expect.poll(() => canvasNode(page, 'container1').getAttribute('class')).toContain('is-xray-step');
    for (let step = 0; step < 3; step++) await walk.getByRole('button', { name: 'Next hop' }).click();
    await walk.getByText(/^Step 4 of \d+: request, host-a eth0 \(underlay, out\)/).waitFor();
    await expect.poll(() => canvasNode(page, 'host-a').getAttribute('class')).toContain('is-xray-step');
    expect(await page.locator('.react-flow__edge.is-xray-step').count()).toBe(1);
    expect(await walk.getByRole('tree', { name: 'Layers at step 4' }).getByRole('treeitem', { name: 'VXLAN VNI 42' }).count()).toBe(1);
    await walk.getByRole('button', { name: 'Previous hop' }).click();
    await walk.getByText(/^Step 3 of \d+/).waitFor();
    await keepScreenshot(page, 'xray-walk');
    // Every control of the capture, walk and tables panels is named.
    expect(await unnamedControls(page)).toEqual([]);

    await destroyLab(page);
  });
});

// 1. Open vxlan-basics from the gallery, Launch, open a terminal on container1, ping
//    container2, Export and compare with the template, Destroy. The gallery's copy has a
//    test name and underlay, so a person's own vxlan-basics may run meanwhile.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLabText } from '../../electron/lab/parse.js';
import type { Lab } from '../../electron/lab/model.js';
import { leftovers, nothingLeft, testEngine } from '../engine/lab-harness.js';
import type { E2eSession } from './browser.js';
import { galleryTemplate, keepScreenshot, startSession } from './browser.js';
import { button, canvasNode, destroyLab, launchBasics, typeInTerminal, waitForTerminalText } from './app-helpers.js';

let session: E2eSession;
const template = galleryTemplate('vxlan-basics.yaml');

function labOf(text: string): Omit<Lab, 'layout'> {
  const parsed = parseLabText(text);
  if (!parsed.ok) throw new Error(`not a valid lab: ${JSON.stringify(parsed.problems)}`);
  const { layout: _layout, ...lab } = parsed.lab;
  return lab;
}

describe('the vxlan-basics template from the gallery to a ping and back', () => {
  beforeAll(async () => {
    session = await startSession();
  });
  afterAll(async () => {
    await session.close();
    // Whatever the test did, take the lab down, then check the app's Destroy left nothing.
    const left = await leftovers(template.name);
    await testEngine().down(template.name);
    expect(left).toEqual(nothingLeft);
  });

  it('launches, pings from a terminal with 0% loss, exports the same lab and is destroyed', async () => {
    const { page, server } = session;
    await launchBasics(page, server.url);

    await canvasNode(page, 'container1').dblclick();
    await waitForTerminalText(page, /[#$]\s*$/m);
    await typeInTerminal(page, 'ping -c 3 10.0.2.3');
    const output = await waitForTerminalText(page, /\d+% packet loss/);
    expect(output).toMatch(/3 packets transmitted, 3 received, 0% packet loss/);
    await keepScreenshot(page, 'template-launch-ping');

    const download = page.waitForEvent('download');
    await button(page, 'Export').click();
    const exported = readFileSync((await (await download).path()) ?? '', 'utf8');
    expect(labOf(exported)).toEqual(labOf(template.text));

    await destroyLab(page);
    await keepScreenshot(page, 'template-launch-destroyed');
  });
});

// What the end-to-end tests do in the app, as a person would: buttons by their
// accessible names, nodes by theirs, the terminal's text as drawn.
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

/** A node on the canvas: its accessible name is its name. */
export function canvasNode(page: Page, name: string): Locator {
  return page.locator(`.react-flow__node[aria-label="${name}"]`);
}

export function button(page: Page, name: string | RegExp): Locator {
  return page.getByRole('button', { name, exact: typeof name === 'string' });
}

/** Waits until the toolbar offers Apply: the lab runs. */
export async function waitUntilRunning(page: Page, timeoutMs = 180_000): Promise<void> {
  await button(page, 'Apply').waitFor({ state: 'visible', timeout: timeoutMs });
}

/** The visible text of the active terminal (xterm's DOM renderer draws rows). */
export async function terminalText(page: Page): Promise<string> {
  const rows = page.locator('.dock-panel-terminal:not([hidden]) .xterm-rows');
  return (await rows.innerText()).replace(/\u00a0/g, ' ');
}

export async function waitForTerminalText(page: Page, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await terminalText(page).catch(() => '');
    if (pattern.test(text)) return text;
    await page.waitForTimeout(250);
  }
  expect(text, `terminal never showed ${pattern}`).toMatch(pattern);
  return text;
}

/** Types into the active terminal as a person does, then presses Enter. */
export async function typeInTerminal(page: Page, line: string): Promise<void> {
  const terminal = page.locator('.dock-panel-terminal:not([hidden]) .xterm-helper-textarea');
  await terminal.focus();
  await page.keyboard.type(line, { delay: 10 });
  await page.keyboard.press('Enter');
}

/** From the start screen: opens vxlan-basics (the gallery's copy), launches it and waits until both containers run. */
export async function launchBasics(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: /Containers on two hosts over VXLAN/ }).click();
  await canvasNode(page, 'container1').waitFor();
  await button(page, 'Launch').click();
  await waitUntilRunning(page);
  await expect.poll(() => canvasNode(page, 'container2').innerText(), { timeout: 30_000 }).toContain('running');
}

/** The controls shown (and the canvas's nodes) that have no accessible name, as HTML openings. */
export async function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const nameOf = (element: Element): string => {
      const labelledBy = element.getAttribute('aria-labelledby');
      const byIds = labelledBy ? labelledBy.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ') : '';
      const labels = 'labels' in element ? [...((element as HTMLInputElement).labels ?? [])].map((label) => label.textContent ?? '').join(' ') : '';
      return [element.getAttribute('aria-label'), byIds, labels, element.getAttribute('title'), element.textContent].join(' ').trim();
    };
    const controls = [...document.querySelectorAll('button, input:not([type="hidden"]), select, textarea, [role="button"], [role="tab"], [role="menuitem"], .react-flow__node')];
    return controls.filter((element) => !(element as HTMLElement).hidden && nameOf(element) === '').map((element) => element.outerHTML.slice(0, 120));
  });
}

/** Destroy asks first; confirm it. Waits for `down` to finish (its volumes too), not only for the nodes to stop. */
export async function destroyLab(page: Page): Promise<void> {
  await button(page, 'Destroy').click();
  await page.getByRole('dialog').getByRole('button', { name: 'Destroy' }).click();
  await button(page, 'Launch').waitFor({ state: 'visible', timeout: 60_000 });
  await page.getByText(/^Destroyed \S+ in /).waitFor({ state: 'visible', timeout: 60_000 });
}

// lab.trace and tables.watch through the service, with a fake engine: traces at once are
// bounded, and a watch belongs to the session that opened it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VxlabService } from '../../electron/api/service.js';
import type { LabEngine } from '../../electron/engine/lab-engine.js';
import { MAX_TRACES_AT_ONCE } from '../../electron/engine/trace.js';
import type { Lab } from '../../electron/lab/model.js';

const stateDirectory = mkdtempSync(join(tmpdir(), 'vxlab-trace-service-test-'));
afterAll(() => rmSync(stateDirectory, { recursive: true, force: true }));
const templatesDirectory = join(import.meta.dirname, '..', '..', 'lab-templates');

describe('lab.trace through the service', () => {
  it(`runs at most ${MAX_TRACES_AT_ONCE} traces at once and refuses one more with a code and what to do`, async () => {
    let release: (lab: undefined) => void = () => undefined;
    const blocked = new Promise<Lab | undefined>((resolve) => (release = resolve));
    const engine = { appliedLab: () => blocked } as unknown as LabEngine;
    const service = new VxlabService({ engine, templatesDirectory, stateDirectory });
    const session = service.connect(() => undefined, { statusEvents: false });
    const params = { lab: 'vxlan-basics', from: 'container1', dest: 'container2' };
    const running = Array.from({ length: MAX_TRACES_AT_ONCE }, () => session.handle('lab.trace', params));
    expect(await session.handle('lab.trace', params)).toMatchObject({ error: { code: 'limit-reached', hint: expect.stringContaining('Wait') } });
    release(undefined);
    // Each running trace ends (here: no applied lab), and the bound is free again.
    for (const answer of await Promise.all(running)) expect(answer).toMatchObject({ error: { code: 'lab-not-found' } });
    expect(await session.handle('lab.trace', params)).toMatchObject({ error: { code: 'lab-not-found' } });
  });

  it('refuses to stop a watch no session of this window opened', async () => {
    const service = new VxlabService({ engine: {} as LabEngine, templatesDirectory, stateDirectory });
    const session = service.connect(() => undefined, { statusEvents: false });
    expect(await session.handle('tables.unwatch', { id: 'not-a-watch' })).toMatchObject({ error: { code: 'node-not-found' } });
  });
});

// What `down` and the CLI promise whatever happened before: an invalid file creates
// nothing, and a killed `up` leaves nothing that `down` does not remove.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, leftovers, nothingLeft, renamedTemplate, testUnderlay, uniqueName } from './lab-harness.js';

const scratch = mkdtempSync(join(tmpdir(), 'vxlab-test-files-'));

describe('lab lifecycle through the CLI', () => {
  it('with no engine answering, the CLI says how to start one', async () => {
    const result = await cli(['ls'], { env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No Docker engine answers at unix:///nonexistent/docker.sock');
    expect(result.stderr).toContain('scripts/provision.sh');
  });

  it('an invalid file creates nothing and names every problem', async () => {
    const name = uniqueName('invalid');
    const { text } = renamedTemplate('vxlan-basics.yaml', name, 'lifecycle-invalid');
    const broken = text.replace('ip: 10.0.2.3', 'ip: 10.0.1.2').replace('vni: 42', 'vni: 0');
    const file = join(scratch, 'invalid.yaml');
    writeFileSync(file, broken);
    const result = await cli(['up', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/containers\[1\]\.interfaces\[0\]\.ip/);
    expect(result.stderr).toMatch(/overlays\[0\]\.vni/);
    expect(result.stderr).toContain('nothing was changed');
    expect(await leftovers(name)).toEqual(nothingLeft);
  });

  it('down removes everything after up was killed halfway', async () => {
    const name = uniqueName('killed');
    const { text } = renamedTemplate('vxlan-basics.yaml', name, 'lifecycle-killed');
    const file = join(scratch, 'killed.yaml');
    writeFileSync(file, text);
    let killed = false;
    const up = await cli(['up', file], {
      onStderr: (stderr, kill) => {
        // The hosts exist and their engines are loading images: the middle of `up`.
        if (!killed && /load-image host-/.test(stderr)) {
          killed = true;
          kill();
        }
      },
    });
    expect(killed).toBe(true);
    expect(up.code).toBeNull();
    const left = await leftovers(name);
    expect(left.containers.length).toBeGreaterThan(0);
    const down = await cli(['down', name]);
    expect(down.code).toBe(0);
    expect(await leftovers(name)).toEqual(nothingLeft);
  });

  it('exec returns the command output and exit code; an unknown node is a clear error', async () => {
    const name = uniqueName('exec');
    const underlay = testUnderlay('lifecycle-exec');
    const { text } = renamedTemplate('vxlan-basics.yaml', name, underlay);
    const file = join(scratch, 'exec.yaml');
    writeFileSync(file, text);
    try {
      expect((await cli(['up', file])).code).toBe(0);
      const ok = await cli(['exec', name, 'container1', '--', 'sh', '-c', 'hostname; echo oops >&2; exit 3']);
      expect(ok.stdout.trim()).toBe('container1');
      expect(ok.stderr).toContain('oops');
      expect(ok.code).toBe(3);
      const onHost = await cli(['exec', name, 'host-b', '--', 'hostname']);
      expect(onHost.stdout.trim()).toBe('host-b');
      const missing = await cli(['exec', name, 'nobody', '--', 'true']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain(`vxlab status ${name}`);
      const status = await cli(['status', name, '--json']);
      expect(JSON.parse(status.stdout).state).toBe('running');
      const ls = await cli(['ls', '--json']);
      expect(JSON.parse(ls.stdout)).toContainEqual(expect.objectContaining({ name, hosts: 2, running: 2 }));

      // A second lab whose underlay overlaps this one's is refused before anything is made.
      const rival = uniqueName('rival');
      const rivalFile = join(scratch, 'rival.yaml');
      const halfOfIt = `${underlay.prefix}0/25`;
      writeFileSync(rivalFile, renamedTemplate('vxlan-basics.yaml', rival, underlay).text.replace(`subnet: ${underlay.subnet}`, `subnet: ${halfOfIt}`));
      const refused = await cli(['up', rivalFile]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`underlay.subnet ${halfOfIt} overlaps ${underlay.subnet}`);
      expect(refused.stderr).toContain(`vxlab down ${name}`);
      expect(refused.stderr).not.toContain('not fully up');
      expect(await leftovers(rival)).toEqual(nothingLeft);
    } finally {
      await cli(['down', name]);
    }
    expect(await leftovers(name)).toEqual(nothingLeft);
  });
});

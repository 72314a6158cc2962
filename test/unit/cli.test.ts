import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, it, expect, vi } from 'vitest';

/** Every use of dockerode the CLI makes: a constructed client, and each method called on it. */
const docker = vi.hoisted(() => ({ constructed: 0, calls: [] as string[] }));

vi.mock('dockerode', () => {
  class UnreachableDocker {
    constructor() {
      docker.constructed++;
      // Any method answers as an engine that is not there would.
      return new Proxy(this, {
        get(_target, property) {
          if (typeof property !== 'string' || property === 'then') return undefined;
          return (..._args: unknown[]) => {
            docker.calls.push(property);
            return Promise.reject(new Error('connect ENOENT /var/run/docker.sock (unit test)'));
          };
        },
      });
    }
  }
  return { default: UnreachableDocker };
});

const { main } = await import('../../electron/cli.js');
const { EngineError } = await import('../../electron/engine/errors.js');
const { printable, printableLines } = await import('../../electron/cli/printable.js');
const { renderVtepView } = await import('../../electron/cli/vtep-text.js');

const TEMPLATE = fileURLToPath(new URL('../../lab-templates/vxlan-basics.yaml', import.meta.url));

const BROKEN = `version: 1
name: broken-lab
underlay:
  subnet: 192.168.1.0/24
hosts:
  - { name: host-a, ip: 192.168.1.10 }
  - { name: host-b, ip: 192.168.1.10 }
overlays:
  - name: blue
    vni: 0
    subnet: 10.0.0.0/16
containers:
  - name: container1
    host: host-z
    interfaces: [ { overlay: blue, ip: 10.0.1.2 } ]
`;

const directory = mkdtempSync(join(tmpdir(), 'vxlab-cli-test-'));
const brokenFile = join(directory, 'broken.yaml');
writeFileSync(brokenFile, BROKEN);

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

beforeEach(() => {
  docker.constructed = 0;
  docker.calls.length = 0;
});

interface Captured {
  code: number;
  out: string;
  err: string;
}

async function run(...argv: string[]): Promise<Captured> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

function noDocker(): void {
  expect(docker.constructed).toBe(0);
  expect(docker.calls).toEqual([]);
}

describe('vxlab validate', () => {
  it('accepts the vxlan-basics template and says it is valid', async () => {
    const result = await run('validate', TEMPLATE);
    expect(result.code).toBe(0);
    expect(result.out).toContain('valid');
    expect(result.out).toContain(`${TEMPLATE}: valid lab vxlan-basics: 2 hosts, 1 overlays, 2 containers.`);
    expect(result.err).toBe('');
    noDocker();
  });

  it('lists every problem as FILE:LINE:COL path: message and says nothing was changed', async () => {
    const result = await run('validate', brokenFile);
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    const lines = result.err.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(new RegExp(`^${escape(brokenFile)}:7:25 hosts\\[1\\]\\.ip: \\S.*192\\.168\\.1\\.10`));
    expect(lines[1]).toMatch(new RegExp(`^${escape(brokenFile)}:10:10 overlays\\[0\\]\\.vni: \\S`));
    expect(lines[2]).toMatch(new RegExp(`^${escape(brokenFile)}:14:11 containers\\[0\\]\\.host: \\S.*host-z`));
    expect(lines[3]).toBe(`${brokenFile}: 3 problems; nothing was changed.`);
    noDocker();
  });

  it('says "problem" for a single one', async () => {
    const file = join(directory, 'one-problem.yaml');
    writeFileSync(file, readFileSync(TEMPLATE, 'utf8').replace('vni: 42', 'vni: 0'));
    const result = await run('validate', file);
    expect(result.code).toBe(1);
    const lines = result.err.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${escape(file)}:\\d+:\\d+ overlays\\[0\\]\\.vni: `));
    expect(lines[1]).toBe(`${file}: 1 problem; nothing was changed.`);
  });

  it('reports YAML syntax errors with their position', async () => {
    const file = join(directory, 'syntax.yaml');
    writeFileSync(file, 'version: 1\nname: [oops\n');
    const result = await run('validate', file);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(new RegExp(`^${escape(file)}:\\d+:\\d+: `, 'm'));
    expect(result.err).toContain('nothing was changed');
  });

  it('fails with exit 1 on a file that does not exist', async () => {
    const missing = join(directory, 'missing.yaml');
    const result = await run('validate', missing);
    expect(result.code).toBe(1);
    expect(result.err).toContain(missing);
    expect(result.err).toContain('ENOENT');
    noDocker();
  });

  it('needs a FILE', async () => {
    const result = await run('validate');
    expect(result.code).toBe(2);
    expect(result.err).toContain('FILE');
  });
});

describe('vxlab --help', () => {
  it('exits 0 and mentions every command', async () => {
    const result = await run('--help');
    expect(result.code).toBe(0);
    for (const command of ['validate', 'up', 'down', 'ls', 'status', 'exec', 'inspect', 'export', 'images build']) {
      expect(result.out).toContain(`vxlab ${command}`);
    }
    noDocker();
  });

  it('answers -h and help the same way', async () => {
    const help = await run('--help');
    expect(await run('-h')).toEqual(help);
    expect(await run('help')).toEqual(help);
  });

  it('prints the usage with exit 2 when no command is given', async () => {
    const result = await run();
    expect(result.code).toBe(2);
    expect(result.out).toContain('vxlab validate');
  });
});

describe('usage errors', () => {
  it('exits 2 on an unknown command', async () => {
    const result = await run('frobnicate');
    expect(result.code).toBe(2);
    expect(result.err).toContain('frobnicate');
    noDocker();
  });

  it('exits 2 on an unknown option', async () => {
    const result = await run('ls', '--bogus');
    expect(result.code).toBe(2);
    expect(result.err).toContain('--help');
    noDocker();
  });

  it('exits 2 on images without build, and on exec without a command', async () => {
    expect((await run('images')).code).toBe(2);
    expect((await run('exec', 'lab', 'node')).code).toBe(2);
    expect((await run('inspect', 'lab')).code).toBe(2);
    noDocker();
  });
});

describe('vxlab up', () => {
  it('exits 1 on an invalid file without making a single Docker call', async () => {
    const result = await run('up', brokenFile);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${brokenFile}:7:25 hosts[1].ip: `);
    expect(result.err).toContain('nothing was changed');
    expect(result.out).toBe('');
    noDocker();
  });

  it('exits 1 on a missing file without making a Docker call', async () => {
    const result = await run('up', join(directory, 'missing.yaml'));
    expect(result.code).toBe(1);
    noDocker();
  });

  it('would reach Docker for a command that needs the engine (the spy works)', async () => {
    const result = await run('ls');
    expect(result.code).toBe(1);
    expect(docker.constructed).toBe(1);
    expect(docker.calls.length).toBeGreaterThan(0);
    expect(result.err).toContain('No Docker engine answers');
  });
});

describe('terminal-safe output', () => {
  /** The title: clears the screen, turns text red and rings the bell when printed raw. */
  const HOSTILE = '\u001b[2J\u001b[1;31mX\u0007';
  const ESCAPED = '\\x1b[2J\\x1b[1;31mX\\x07';
  const state = join(directory, 'state');
  // eslint-disable-next-line no-control-regex -- finding raw control characters is the test
  const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

  async function runWith(engine: Record<string, unknown>, ...argv: string[]): Promise<Captured> {
    let out = '';
    let err = '';
    const code = await main(argv, { out: (text) => (out += text), err: (text) => (err += text) }, {
      engine: () => engine as never,
      stateDirectory: state,
    });
    return { code, out, err };
  }

  it('escapes a title from a Docker label or lab file in vxlab ls', async () => {
    const result = await runWith({ list: async () => [{ name: 'demo', title: HOSTILE, hosts: 2, running: 2 }] }, 'ls');
    expect(result.code).toBe(0);
    expect(result.out).not.toMatch(raw);
    expect(result.out).toContain(ESCAPED);
  });

  it('escapes the title, node names, states and addresses in vxlab status', async () => {
    const status = {
      name: 'demo',
      title: HOSTILE,
      state: 'running',
      nodes: [{ name: 'host-a', kind: 'host', state: `running${HOSTILE}`, addresses: [`10.0.0.1${HOSTILE}`] }],
    };
    const result = await runWith({ status: async () => status }, 'status', 'demo');
    expect(result.code).toBe(0);
    expect(result.out).not.toMatch(raw);
    expect(result.out.match(/\\x1b\[2J/g)).toHaveLength(3);
  });

  it('escapes engine messages in errors and in progress lines', async () => {
    const engine = {
      down: async (_name: string, emit: (event: unknown) => void) => {
        emit({ type: 'step-started', step: 'remove', node: `host-a${HOSTILE}`, detail: HOSTILE });
        emit({ type: 'step-failed', step: 'remove', node: 'host-a', error: `gone ${HOSTILE}` });
        emit({ type: 'log', level: 'warn', message: HOSTILE });
        throw new EngineError('step-failed', `Docker said ${HOSTILE}`, `try ${HOSTILE}`);
      },
    };
    const result = await runWith(engine, 'down', 'demo');
    expect(result.code).toBe(1);
    expect(result.err).not.toMatch(raw);
    expect(result.err).toContain(`vxlab: Docker said ${ESCAPED}\n  try ${ESCAPED}\n`);
    expect(result.err.split(ESCAPED).length - 1).toBe(6);
  });

  it('escapes what a lab file says in vxlab validate, and a stored file in vxlab export', async () => {
    const file = join(directory, 'hostile-title.yaml');
    // YAML's double-quoted \e and \a escapes put the raw characters into the title.
    writeFileSync(file, readFileSync(TEMPLATE, 'utf8').replace(/^title: .*$/m, 'title: "\\e[2J\\e[1;31mX\\a"').replace(/^name: .*$/m, 'name: "demo\\e[2J"'));
    const validate = await run('validate', file);
    expect(validate.out + validate.err).not.toMatch(raw);
    const exported = await runWith({ exportLab: async () => `name: demo\ntitle: ${HOSTILE}\n` }, 'export', 'demo');
    expect(exported.out).toBe(`name: demo\ntitle: ${ESCAPED}\n`);
  });

  it('escapes every value of a VTEP view', () => {
    const view = {
      lab: 'demo', host: 'host-a', underlay: { device: 'eth0', ip: '192.168.1.10', mtu: 1500 },
      vteps: [], bridgePorts: [], neighbours: [], routes: [],
      fdb: [{ table: 'bridge' as const, mac: '02:42:ac:11:00:02', device: 'veth1', kind: 'learned' as const, owner: HOSTILE }],
    };
    const text = renderVtepView(view);
    expect(text).not.toMatch(raw);
    expect(text).toContain(ESCAPED);
  });

  it('printable leaves plain text alone and shows controls, bidi overrides included', () => {
    expect(printable('host-a 10.0.0.1/24 — ok')).toBe('host-a 10.0.0.1/24 — ok');
    expect(printable('a\nb\u202ec\u009b')).toBe('a\\x0ab\\u202ec\\x9b');
    expect(printableLines('a\n\tb\u001b')).toBe('a\n\tb\\x1b');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

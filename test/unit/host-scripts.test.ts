import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it, expect } from 'vitest';
import { parseLabText } from '../../electron/lab/parse.js';
import { planWiring } from '../../electron/lab/plan.js';
import type { HostWiring, TunnelWiring } from '../../electron/lab/plan.js';
import { isImageRef, isIpv4Address, isLabName, isNodeName, isVni, mustBe } from '../../electron/lab/brands.js';
import type { ImageReference, Ipv4Address, LabName, NodeName } from '../../electron/lab/brands.js';
import { bridgeName, containerInterfaceName, vxlanDeviceName } from '../../electron/lab/naming.js';
import type { DeviceName } from '../../electron/lab/naming.js';
import {
  containersScript,
  hostInitScript,
  inspectScript,
  overlayScript,
  parseReadyOutput,
  readyScript,
  containerStatusScript,
  parseContainerStatus,
} from '../../electron/engine/host-scripts.js';

const image = (text: string): ImageReference => mustBe(isImageRef, text, 'an image reference');

const BASICS = mustBe(isLabName, 'vxlan-basics', 'a lab name');

const TEMPLATE = readFileSync(new URL('../../lab-templates/vxlan-basics.yaml', import.meta.url), 'utf8');

function textbookWiring(): HostWiring[] {
  const result = parseLabText(TEMPLATE);
  if (!result.ok) throw new Error('the vxlan-basics template does not validate');
  return planWiring(result.lab, { host: 'vxlab-host:test', node: 'vxlab-node:test' });
}

function hostA(): HostWiring {
  const host = textbookWiring()[0];
  if (!host || host.host !== 'host-a') throw new Error('host-a is not the first host');
  return host;
}

/** A host with two overlays and three peers per overlay, to exercise the loops. */
function busyHost(): HostWiring {
  const base = hostA();
  const overlay = base.overlays[0];
  if (!overlay) throw new Error('host-a has no overlay');
  const tunnel = (number: number, peers: string[]): TunnelWiring => {
    const vni = mustBe(isVni, number, 'a VNI');
    return {
      ...overlay,
      overlay: mustBe(isNodeName, `o${vni}`, 'a name'),
      vni,
      bridge: bridgeName(vni),
      device: vxlanDeviceName(vni),
      peers: peers.map((peer) => mustBe(isIpv4Address, peer, 'an IPv4 address')),
    };
  };
  return {
    ...base,
    overlays: [tunnel(100, ['192.168.1.20', '192.168.1.30', '192.168.1.40']), tunnel(200, ['192.168.1.20'])],
  };
}

/** Syntax check only (`sh -n` reads the script and never runs a command of it). */
function shSyntax(script: string): { status: number | null; stderr: string } {
  const result = spawnSync('sh', ['-n'], { input: script, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, stderr: result.stderr };
}

function lines(script: string): string[] {
  return script.split('\n').map((line) => line.trim());
}

describe('the syntax check itself', () => {
  it('rejects a script with a broken construct', () => {
    expect(shSyntax('if true; then\n  echo unterminated\n').status).not.toBe(0);
    expect(shSyntax('for x in a b; do echo "$x"; done\n').status).toBe(0);
  });
});

describe('overlayScript', () => {
  it('makes the VXLAN device of VNI 42 on eth0 with the host as local address', () => {
    const script = overlayScript(hostA(), { tunnels: true });
    expect(lines(script)).toContain('ip link add vxlan42 type vxlan id 42 dstport 4789 dev eth0 local 192.168.1.10');
    expect(lines(script)).toContain('ip link set vxlan42 mtu 1450 master vxbr42 up');
  });

  it('makes the bridge without an address and brings it up with the overlay MTU', () => {
    const script = overlayScript(hostA(), { tunnels: true });
    expect(lines(script)).toContain('ip link show vxbr42 >/dev/null 2>&1 || ip link add vxbr42 type bridge');
    expect(lines(script)).toContain('ip link set vxbr42 mtu 1450 up');
    expect(script).not.toMatch(/ip (-\d )?addr(ess)? add/);
  });

  it('adds the flood entries in one loop over the peers', () => {
    const script = overlayScript(hostA(), { tunnels: true });
    const append = 'bridge fdb append 00:00:00:00:00:00 dev vxlan42 dst "$dst"';
    expect(script.split(append)).toHaveLength(2);
    const all = lines(script);
    const loop = all.findIndex((line) => line === 'for dst in 192.168.1.20; do');
    expect(loop).toBeGreaterThan(0);
    expect(all.slice(loop + 1).find((line) => line.includes('bridge fdb append'))).toContain(append);
    expect(all).toContain("peers=' 192.168.1.20 '");
  });

  it('puts every peer of a busier host in its loop, one loop per overlay', () => {
    const script = overlayScript(busyHost(), { tunnels: true });
    expect(lines(script)).toContain('for dst in 192.168.1.20 192.168.1.30 192.168.1.40; do');
    expect(lines(script)).toContain('for dst in 192.168.1.20; do');
    expect(script.match(/bridge fdb append 00:00:00:00:00:00 dev vxlan100 /g)).toHaveLength(1);
    expect(script.match(/bridge fdb append 00:00:00:00:00:00 dev vxlan200 /g)).toHaveLength(1);
    expect(lines(script)).toContain("want_devices=' vxlan100 vxlan200 '");
    expect(lines(script)).toContain("want_bridges=' vxbr100 vxbr200 '");
  });

  it('removes FDB entries of hosts that are no longer peers', () => {
    const script = overlayScript(hostA(), { tunnels: true });
    expect(script).toContain('bridge fdb del "$mac" dev vxlan42 dst "$dst"');
  });

  it('makes the device anew when its VNI, port or local address changed', () => {
    const script = overlayScript(hostA(), { tunnels: true });
    expect(script).toContain(`!= 'vni=42 port=4789 local=192.168.1.10' ]; then`);
    expect(lines(script)).toContain("ip link set vxlan42 alias 'vni=42 port=4789 local=192.168.1.10'");
    expect(lines(script)).toContain('ip link del vxlan42 2>/dev/null || true');
  });

  it('makes no VXLAN device without tunnels, and removes any there is', () => {
    const script = overlayScript(hostA(), { tunnels: false });
    expect(script).not.toContain('type vxlan id');
    expect(script).not.toContain('bridge fdb');
    expect(lines(script)).toContain("want_devices='  '");
    expect(lines(script)).toContain('ip link set vxbr42 mtu 1450 up');
    expect(script).toContain('ip -o link show type vxlan');
  });

  it('writes valid sh, with tunnels, without, with no peers and with no overlays', () => {
    const alone: HostWiring = { ...hostA(), overlays: hostA().overlays.map((o) => ({ ...o, peers: [] })) };
    const empty: HostWiring = { ...hostA(), overlays: [], containers: [] };
    for (const wiring of [hostA(), busyHost(), alone, empty]) {
      for (const tunnels of [true, false]) {
        expect(shSyntax(overlayScript(wiring, { tunnels }))).toEqual({ status: 0, stderr: '' });
      }
    }
  });

  it('starts with set -e so that a failing step fails the script', () => {
    expect(lines(overlayScript(hostA(), { tunnels: true }))[0]).toBe('set -e');
  });
});

describe('containersScript', () => {
  const run = (change: { remove: string[]; create: string[] }) =>
    containersScript(BASICS, hostA(), change, (container) => container.image ?? image('vxlab-node:test'));

  it('runs a new container with no network of Docker and the lab labels', () => {
    const script = run({ remove: [], create: ['container1'] });
    const spec = hostA().containers[0]?.spec ?? '';
    const runLine = lines(script).find((line) => line.startsWith('docker run'));
    expect(runLine).toBeDefined();
    expect(runLine).toContain('--network none');
    expect(runLine).toContain('--name container1');
    expect(runLine).toContain('--label vxlab.lab=vxlan-basics');
    expect(runLine).toContain('--label vxlab.role=container');
    expect(runLine).toContain('--label vxlab.node=container1');
    expect(runLine).toContain(`--label vxlab.spec=${spec}`);
    expect(runLine).toContain(' vxlab-node:test ');
    expect(spec).toMatch(/^[0-9a-f]{16}$/);
  });

  it('wires every interface of every container on the host, new or kept', () => {
    const wiring = hostA();
    const script = run({ remove: [], create: [] });
    const iface = wiring.containers[0]?.interfaces[0];
    expect(iface).toBeDefined();
    if (!iface) return;
    expect(lines(script)).toContain(
      `wire container1 ${iface.hostVeth} eth0 ${iface.mac} 10.0.1.2/16 1450 vxbr42`,
    );
    expect(script).not.toContain('docker run');
  });

  it('wires each interface of a container with several', () => {
    const base = hostA();
    const first = base.containers[0];
    if (!first) throw new Error('host-a has no container');
    const eth0 = first.interfaces[0];
    if (!eth0) throw new Error('container1 has no interface');
    const second = { ...eth0, name: containerInterfaceName(1), hostVeth: 've00000000i1' as DeviceName, mac: '02:00:00:00:00:01', address: '10.9.0.2/24' };
    const wiring: HostWiring = { ...base, containers: [{ ...first, interfaces: [...first.interfaces, second] }] };
    const script = containersScript(BASICS, wiring, { remove: [], create: ['container1'] }, () => image('img'));
    const wires = lines(script).filter((line) => line.startsWith('wire '));
    expect(wires).toHaveLength(2);
    expect(wires[1]).toBe('wire container1 ve00000000i1 eth1 02:00:00:00:00:01 10.9.0.2/24 1450 vxbr42');
  });

  it('removes the containers that must go and replaces the ones it creates', () => {
    const script = run({ remove: ['old-one'], create: ['container1'] });
    expect(lines(script)).toContain('docker rm -f old-one >/dev/null 2>&1 || true');
    expect(lines(script)).toContain('docker rm -f container1 >/dev/null 2>&1 || true');
    const all = lines(script);
    expect(all.indexOf('docker rm -f container1 >/dev/null 2>&1 || true')).toBeLessThan(
      all.findIndex((line) => line.startsWith('docker run')),
    );
  });

  it('skips a container to create that the host does not hold', () => {
    const script = run({ remove: [], create: ['container2'] });
    expect(script).not.toContain('docker run');
    expect(script).not.toContain('container2');
  });

  it('quotes even an image that validation would refuse, should one get past the type', () => {
    const script = containersScript(BASICS, hostA(), { remove: [], create: ['container1'] }, () => "my image's" as ImageReference);
    expect(script).toContain(`'my image'\\''s'`);
    expect(shSyntax(script).status).toBe(0);
  });

  it('writes valid sh', () => {
    for (const change of [
      { remove: [], create: [] },
      { remove: ['old-one'], create: ['container1'] },
    ]) {
      expect(shSyntax(run(change))).toEqual({ status: 0, stderr: '' });
    }
  });
});

describe('parseReadyOutput', () => {
  it('reads the containers and images sections', () => {
    const output = [
      '--containers',
      'container1\t716c520533fea20a\trunning',
      'container3\tabcdef0123456789\texited',
      '',
      '--images',
      'vxlab-node:abc123',
      '  busybox:latest  ',
      '',
    ].join('\n');
    expect(parseReadyOutput(output)).toEqual({
      containers: [
        { name: 'container1', spec: '716c520533fea20a', running: true },
        { name: 'container3', spec: 'abcdef0123456789', running: false },
      ],
      images: ['vxlab-node:abc123', 'busybox:latest'],
    });
  });

  it('reads empty sections as nothing', () => {
    expect(parseReadyOutput('--containers\n--images\n')).toEqual({ containers: [], images: [] });
  });

  it('ignores a container line without a name (no vxlab.node label)', () => {
    expect(parseReadyOutput('--containers\n\tdeadbeef\trunning\n--images\n').containers).toEqual([]);
  });

  it('matches the sections readyScript prints', () => {
    const script = readyScript('vxlan-basics');
    expect(script).toContain("echo '--containers'");
    expect(script).toContain("echo '--images'");
    expect(script).toContain("--filter label=vxlab.lab=vxlan-basics");
    expect(shSyntax(script)).toEqual({ status: 0, stderr: '' });
  });
});

describe('hostInitScript', () => {
  const script = hostInitScript();

  it('deletes the default route so packets stay on the machine', () => {
    expect(lines(script)).toContain('ip route del default 2>/dev/null || true');
  });

  it('runs dockerd without iptables or a bridge, in a cgroup of the host', () => {
    const exec = lines(script).find((line) => line.startsWith('exec dockerd'));
    expect(exec).toBeDefined();
    expect(exec).toContain('--iptables=false');
    expect(exec).toContain('--bridge=none');
    expect(exec).toMatch(/--cgroup-parent="\$\{CG%\/\}\/inner"/);
    expect(script).toContain('/proc/self/cgroup');
  });

  it('deletes the default route before starting dockerd', () => {
    const all = lines(script);
    expect(all.indexOf('ip route del default 2>/dev/null || true')).toBeLessThan(all.findIndex((line) => line.startsWith('exec dockerd')));
  });

  it('writes valid sh', () => {
    expect(shSyntax(script)).toEqual({ status: 0, stderr: '' });
  });
});

describe('inspectScript', () => {
  it('prints every section the VTEP view reads, and is valid sh', () => {
    const script = inspectScript();
    for (const key of ['vxlan', 'bridges', 'ports', 'fdb', 'neighbours', 'addresses', 'routes']) {
      expect(script).toContain(`"${key}":`);
    }
    expect(shSyntax(script)).toEqual({ status: 0, stderr: '' });
  });
});

describe('the scripts of every template', () => {
  const directory = new URL('../../lab-templates/', import.meta.url);
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.yaml'))) {
    it(`${file}: overlay and container scripts of every host are valid sh`, () => {
      const result = parseLabText(readFileSync(new URL(file, directory), 'utf8'));
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      for (const host of planWiring(result.lab)) {
        expect(shSyntax(overlayScript(host, { tunnels: true }))).toEqual({ status: 0, stderr: '' });
        const create = host.containers.map((c) => c.name);
        expect(shSyntax(containersScript(result.lab.name, host, { remove: [], create }, () => image('vxlab-node:test')))).toEqual({
          status: 0,
          stderr: '',
        });
      }
    });
  }
});

describe('containerStatusScript', () => {
  it('is valid sh that filters on the lab label and reads addresses in each container namespace', () => {
    const script = containerStatusScript('vxlan-basics');
    expect(shSyntax(script).status).toBe(0);
    expect(script).toContain('label=vxlab.lab=vxlan-basics');
    expect(script).toContain('nsenter -t "$p" -n ip -4 -o addr show scope global');
  });

  it('parses name, state and addresses, with none for a stopped container', () => {
    expect(parseContainerStatus('container1\trunning\t10.0.1.2/16 \nold\texited\t\n')).toEqual([
      { name: 'container1', state: 'running', addresses: ['10.0.1.2/16'] },
      { name: 'old', state: 'exited', addresses: [] },
    ]);
  });
});

/** Where the stub commands below write what they were called with, and where a hostile value would leave a mark. */
const stubs = mkdtempSync(join(tmpdir(), 'vxlab-host-script-'));
const canary = join(stubs, 'injected');
afterAll(() => rmSync(stubs, { recursive: true, force: true }));

/**
 * Runs a host script with `ip`, `bridge`, `sysctl`, `docker` and `nsenter` replaced by stubs
 * that record their arguments (and `docker inspect` answers 1), so the script's commands can be
 * read back word by word without touching the machine.
 */
function runWithStubs(text: string, answerOne: readonly string[] = []): string[][] {
  const bin = mkdtempSync(join(stubs, 'bin-'));
  const log = join(bin, 'calls');
  for (const command of ['ip', 'bridge', 'sysctl', 'docker', 'nsenter', ...answerOne]) {
    const file = join(bin, command);
    const answers = answerOne.includes(command) ? 'echo 1' : '[ "$1" = inspect ] && echo 1';
    writeFileSync(
      file,
      `#!/bin/sh\n{ printf '%s\\037' "${command}" "$@"; printf '\\036'; } >>"$STUB_LOG"\n${answers}\nexit 0\n`,
    );
    chmodSync(file, 0o755);
  }
  const result = spawnSync('sh', ['-c', text], { encoding: 'utf8', env: { PATH: `${bin}:${process.env.PATH ?? ''}`, STUB_LOG: log } });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const calls = existsSync(log) ? readFileSync(log, 'utf8') : '';
  return calls
    .split('\x1e')
    .filter(Boolean)
    .map((call) => call.split('\x1f').slice(0, -1));
}

// Values no validation would let through, forced past the types: the script must hold anyway.
const HOSTILE_DEVICE = `vx$(touch ${canary})` as DeviceName;
const HOSTILE_BRIDGE = `br; touch ${canary}` as DeviceName;
const HOSTILE_LOCAL = `192.168.1.10' ; touch ${canary} ; '` as Ipv4Address;
const HOSTILE_PEER = `192.168.1.20 \`touch ${canary}\`` as Ipv4Address;

function hostileHost(): HostWiring {
  const base = hostA();
  const overlay = base.overlays[0];
  if (!overlay) throw new Error('host-a has no overlay');
  return {
    ...base,
    overlays: [{ ...overlay, device: HOSTILE_DEVICE, bridge: HOSTILE_BRIDGE, localIp: HOSTILE_LOCAL, peers: [HOSTILE_PEER, '-v' as Ipv4Address] }],
  };
}

describe('host scripts keep every value one inert word', () => {
  it('overlayScript hands hostile device, bridge and address values to ip and bridge as single words, running nothing', () => {
    const calls = runWithStubs(overlayScript(hostileHost(), { tunnels: true }));
    expect(existsSync(canary)).toBe(false);
    expect(calls).toContainEqual(['ip', 'link', 'show', HOSTILE_BRIDGE]);
    expect(calls).toContainEqual(['ip', 'link', 'set', HOSTILE_BRIDGE, 'mtu', '1450', 'up']);
    expect(calls).toContainEqual([
      'ip', 'link', 'add', HOSTILE_DEVICE, 'type', 'vxlan', 'id', '42', 'dstport', '4789', 'dev', 'eth0', 'local', HOSTILE_LOCAL,
    ]);
    expect(calls).toContainEqual(['ip', 'link', 'set', HOSTILE_DEVICE, 'mtu', '1450', 'master', HOSTILE_BRIDGE, 'up']);
    expect(calls).toContainEqual(['bridge', 'fdb', 'append', '00:00:00:00:00:00', 'dev', HOSTILE_DEVICE, 'dst', HOSTILE_PEER]);
    expect(calls).toContainEqual(['bridge', 'fdb', 'append', '00:00:00:00:00:00', 'dev', HOSTILE_DEVICE, 'dst', '-v']);
  });

  it('containersScript hands a hostile name, label and image to docker as single words, the image after --', () => {
    const base = hostA();
    const first = base.containers[0];
    if (!first) throw new Error('host-a has no container');
    const name = `c1 $(touch ${canary})` as NodeName;
    const wiring: HostWiring = { ...base, containers: [{ ...first, name, spec: "s'pec" }] };
    const calls = runWithStubs(containersScript('lab x' as LabName, wiring, { remove: [`old;touch ${canary}`], create: [name] }, () => '--privileged' as ImageReference));
    expect(existsSync(canary)).toBe(false);
    expect(calls).toContainEqual(['docker', 'rm', '-f', `old;touch ${canary}`]);
    const run = calls.find((call) => call[1] === 'run');
    expect(run).toEqual([
      'docker', 'run', '-d', '--network', 'none', '--name', name, '--hostname', name, '--cap-add', 'NET_ADMIN',
      '--label', 'vxlab.lab=lab x', '--label', 'vxlab.role=container', '--label', `vxlab.node=${name}`, '--label', "vxlab.spec=s'pec",
      '--', '--privileged',
    ]);
    expect(calls).toContainEqual(['docker', 'inspect', '-f', '{{.Id}}', name]);
  });
});

describe('containersScript keeps a wired veth but not a changed MTU', () => {
  it('gives a kept veth (its alias names the container) the overlay MTU again on both ends, and makes nothing new', () => {
    const iface = hostA().containers[0]?.interfaces[0];
    if (!iface) throw new Error('container1 has no interface');
    // `cat` of the alias answers 1, the ID docker inspect gives: the veth is the container's own.
    const calls = runWithStubs(containersScript(BASICS, hostA(), { remove: [], create: [] }, () => image('img')), ['cat']);
    expect(calls).toContainEqual(['nsenter', '-t', '1', '-n', 'ip', 'link', 'set', 'eth0', 'mtu', '1450']);
    expect(calls).toContainEqual(['ip', 'link', 'set', iface.hostVeth, 'mtu', '1450']);
    expect(calls.filter((call) => call[0] === 'ip' && call[2] === 'add')).toEqual([]);
  });
});

describe('host scripts, byte for byte', () => {
  it('overlayScript of host-a in vxlan-basics', () => {
    expect(overlayScript(hostA(), { tunnels: true })).toBe(
      [
        'set -e',
        'sysctl -qw net.ipv4.ip_forward=0',
        "want_devices=' vxlan42 '",
        "want_bridges=' vxbr42 '",
        "for dev in $(ip -o link show type vxlan | sed -n 's/^[0-9]*: \\([^:@]*\\).*/\\1/p'); do",
        '  case "$want_devices" in *" $dev "*) ;; *) ip link del "$dev" ;; esac',
        'done',
        "for dev in $(ip -o link show type bridge | sed -n 's/^[0-9]*: \\(vxbr[0-9]*\\).*/\\1/p'); do",
        '  case "$want_bridges" in *" $dev "*) ;; *) ip link del "$dev" ;; esac',
        'done',
        'ip link show vxbr42 >/dev/null 2>&1 || ip link add vxbr42 type bridge',
        'ip link set vxbr42 mtu 1450 up',
        `if [ "$(cat /sys/class/net/vxlan42/ifalias 2>/dev/null)" != 'vni=42 port=4789 local=192.168.1.10' ]; then`,
        '  ip link del vxlan42 2>/dev/null || true',
        '  ip link add vxlan42 type vxlan id 42 dstport 4789 dev eth0 local 192.168.1.10',
        "  ip link set vxlan42 alias 'vni=42 port=4789 local=192.168.1.10'",
        'fi',
        'ip link set vxlan42 mtu 1450 master vxbr42 up',
        "peers=' 192.168.1.20 '",
        `bridge fdb show dev vxlan42 | awk '{for (i = 1; i < NF; i++) if ($i == "dst") print $1, $(i+1)}' | while read -r mac dst; do`,
        '  case "$peers" in *" $dst "*) ;; *) bridge fdb del "$mac" dev vxlan42 dst "$dst" 2>/dev/null || true ;; esac',
        'done',
        `have=" $(bridge fdb show dev vxlan42 | awk '$1 == "00:00:00:00:00:00" {for (i = 1; i < NF; i++) if ($i == "dst") print $(i+1)}' | tr '\\n' ' ') "`,
        'for dst in 192.168.1.20; do',
        '  case "$have" in *" $dst "*) ;; *) bridge fdb append 00:00:00:00:00:00 dev vxlan42 dst "$dst" ;; esac',
        'done',
      ].join('\n'),
    );
  });

  it('the docker run line of container1, options ended before the image', () => {
    const spec = hostA().containers[0]?.spec ?? '';
    const script = containersScript(BASICS, hostA(), { remove: [], create: ['container1'] }, () => image('busybox'));
    expect(lines(script).filter((line) => line.startsWith('docker run'))).toEqual([
      'docker run -d --network none --name container1 --hostname container1 --cap-add NET_ADMIN ' +
        `--label vxlab.lab=vxlan-basics --label vxlab.role=container --label vxlab.node=container1 --label vxlab.spec=${spec} ` +
        '-- busybox >/dev/null',
    ]);
  });

  it('containerStatusScript of vxlan-basics', () => {
    expect(containerStatusScript('vxlan-basics')).toBe(
      `for c in $(docker ps -aq --filter label=vxlab.lab=vxlan-basics); do docker inspect -f '{{index .Config.Labels "vxlab.node"}} {{.State.Status}} {{.State.Pid}}' $c; done | ` +
        `while read -r n s p; do a=''; [ "$p" != 0 ] && a=$(nsenter -t "$p" -n ip -4 -o addr show scope global | awk '{print $4}' | tr '\\n' ' '); ` +
        `printf '%s\\t%s\\t%s\\n' "$n" "$s" "$a"; done`,
    );
  });
});

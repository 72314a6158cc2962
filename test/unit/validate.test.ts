import { describe, it, expect } from 'vitest';
import { validateLab } from '../../electron/lab/validate.js';
import { splitProblemPath } from '../../electron/lab/parse.js';
import type { Lab, Problem } from '../../electron/lab/model.js';

/** The textbook lab: two hosts, one overlay, a container on each host. */
function textbook(): Record<string, unknown> {
  return {
    version: 1,
    name: 'vxlan-basics',
    underlay: { subnet: '192.168.1.0/24' },
    hosts: [
      { name: 'host-a', ip: '192.168.1.10' },
      { name: 'host-b', ip: '192.168.1.20' },
    ],
    overlays: [{ name: 'blue', vni: 42, subnet: '10.0.0.0/16' }],
    containers: [
      { name: 'container1', host: 'host-a', interfaces: [{ overlay: 'blue', ip: '10.0.1.2' }] },
      { name: 'container2', host: 'host-b', interfaces: [{ overlay: 'blue', ip: '10.0.2.3' }] },
    ],
  };
}

/** The textbook lab with the value at each path replaced (undefined deletes the field). */
function edited(changes: Record<string, unknown>): Record<string, unknown> {
  const data = textbook();
  for (const [path, value] of Object.entries(changes)) {
    const segments = splitProblemPath(path);
    const last = segments.pop();
    let parent: unknown = data;
    for (const segment of segments) parent = (parent as Record<string | number, unknown>)[segment];
    const container = parent as Record<string | number, unknown>;
    if (last === undefined) throw new Error(`empty path ${path}`);
    if (value === undefined) delete container[last];
    else container[last] = value;
  }
  return data;
}

function problemsOf(data: unknown): Problem[] {
  const result = validateLab(data);
  return result.ok ? [] : result.problems;
}

/** "code path" per problem: asserting both at once, in order. */
function found(data: unknown): string[] {
  return problemsOf(data).map((problem) => `${problem.code} ${problem.path}`);
}

function labOf(data: unknown): Lab {
  const result = validateLab(data);
  if (!result.ok) throw new Error(result.problems.map((problem) => problem.message).join('\n'));
  return result.lab;
}

describe('a valid lab', () => {
  it('accepts the textbook lab', () => {
    expect(found(textbook())).toEqual([]);
  });

  it('fills in every default', () => {
    const lab = labOf(textbook());
    expect(lab.title).toBe('');
    expect(lab.description).toBe('');
    expect(lab.underlay).toEqual({ subnet: '192.168.1.0/24', mtu: 1500 });
    expect(lab.overlays[0]).toEqual({ name: 'blue', vni: 42, subnet: '10.0.0.0/16', port: 4789, mtu: 1450 });
    expect(lab.layout).toEqual({});
    expect(lab.containers[0]?.image).toBeUndefined();
  });

  it('derives the default overlay mtu from the underlay mtu', () => {
    expect(labOf(edited({ 'underlay.mtu': 9000 })).overlays[0]?.mtu).toBe(8950);
  });

  it('keeps explicit values: title, description, port, mtu, image, layout', () => {
    const lab = labOf(
      edited({
        title: 'T',
        description: 'D',
        'overlays[0].port': 8472,
        'overlays[0].mtu': 1400,
        'containers[0].image': 'alpine:3.20',
        layout: { positions: { 'host-a': { x: 1, y: 2 } } },
      }),
    );
    expect([lab.title, lab.description, lab.overlays[0]?.port, lab.overlays[0]?.mtu]).toEqual(['T', 'D', 8472, 1400]);
    expect(lab.containers[0]?.image).toBe('alpine:3.20');
    expect(lab.layout).toEqual({ positions: { 'host-a': { x: 1, y: 2 } } });
  });

  it('copies the input instead of sharing its objects', () => {
    const data = edited({ layout: { positions: { a: { x: 1 } } } });
    const lab = labOf(data);
    expect(lab.hosts).not.toBe(data.hosts);
    expect(lab.hosts[0]).not.toBe((data.hosts as unknown[])[0]);
    expect(lab.containers[0]?.interfaces).not.toBe((data.containers as { interfaces: unknown }[])[0]?.interfaces);
    expect(lab.layout.positions).not.toBe((data.layout as Record<string, unknown>).positions);
  });

  it('ignores unknown extra fields', () => {
    expect(found(edited({ 'hosts[0].color': 'red', notes: ['x'] }))).toEqual([]);
    expect(labOf(edited({ 'hosts[0].color': 'red' })).hosts[0]).toEqual({ name: 'host-a', ip: '192.168.1.10' });
  });

  it('allows empty overlays and containers lists, absent ones, and containers with no interfaces', () => {
    expect(found(edited({ overlays: [], containers: [] }))).toEqual([]);
    expect(found(edited({ overlays: undefined, containers: undefined }))).toEqual([]);
    expect(found(edited({ 'containers[0].interfaces': [] }))).toEqual([]);
    expect(labOf(edited({ 'containers[0].interfaces': undefined })).containers[0]?.interfaces).toEqual([]);
  });

  it('accepts tenants: two overlays with the same subnet and the same addresses', () => {
    const data = edited({
      overlays: [
        { name: 'tenant-a', vni: 100, subnet: '10.0.0.0/16' },
        { name: 'tenant-b', vni: 200, subnet: '10.0.0.0/16' },
      ],
      'containers[0].interfaces': [{ overlay: 'tenant-a', ip: '10.0.1.2' }],
      'containers[1].interfaces': [{ overlay: 'tenant-b', ip: '10.0.1.2' }],
    });
    expect(found(data)).toEqual([]);
  });

  it('lets overlay subnets overlap each other', () => {
    const data = edited({ overlays: [{ name: 'blue', vni: 42, subnet: '10.0.0.0/16' }, { name: 'red', vni: 43, subnet: '10.0.5.0/24' }] });
    expect(found(data)).toEqual([]);
  });
});

describe('file shape', () => {
  it('reports an empty file as required', () => {
    expect(found(null)).toEqual(['required ']);
  });

  it('reports a file that is not a mapping as wrong-type', () => {
    expect(found([1, 2])).toEqual(['wrong-type ']);
  });

  it('reports missing required fields as required at their path', () => {
    expect(found(edited({ name: undefined }))).toEqual(['required name']);
    expect(found(edited({ underlay: undefined }))).toEqual(['required underlay']);
    expect(found(edited({ 'underlay.subnet': undefined }))).toEqual(['required underlay.subnet']);
    expect(found(edited({ 'hosts[1].ip': undefined }))).toEqual(['required hosts[1].ip']);
    expect(found(edited({ 'overlays[0].vni': undefined }))).toEqual(['required overlays[0].vni']);
    expect(found(edited({ 'containers[0].host': undefined }))).toEqual(['required containers[0].host']);
    expect(found(edited({ 'containers[1].interfaces[0].ip': undefined }))).toEqual(['required containers[1].interfaces[0].ip']);
  });

  it('requires at least one host', () => {
    expect(found(edited({ hosts: undefined, containers: [] }))).toEqual(['required hosts']);
    expect(found(edited({ hosts: [], containers: [] }))).toEqual(['required hosts']);
  });

  it('reports values of the wrong type as wrong-type at their path', () => {
    expect(found(edited({ hosts: { name: 'host-a' }, containers: [] }))).toEqual(['wrong-type hosts']);
    expect(found(edited({ 'hosts[0]': 'host-a', 'containers[0].host': 'host-b' }))).toEqual(['wrong-type hosts[0]']);
    expect(found(edited({ title: 42 }))).toEqual(['wrong-type title']);
    expect(found(edited({ 'underlay.mtu': '1500' }))).toEqual(['wrong-type underlay.mtu']);
    expect(found(edited({ 'overlays[0].vni': '42' }))).toEqual(['wrong-type overlays[0].vni']);
    expect(found(edited({ 'containers[0].interfaces': 'blue' }))).toEqual(['wrong-type containers[0].interfaces']);
    expect(found(edited({ layout: [] }))).toEqual(['wrong-type layout']);
  });

  it('rejects an empty image name but allows leaving image out', () => {
    expect(found(edited({ 'containers[0].image': '' }))).toEqual(['wrong-type containers[0].image']);
  });

  it('reports any version other than 1 as unknown-version, and a missing one as required', () => {
    expect(found(edited({ version: 2 }))).toEqual(['unknown-version version']);
    expect(found(edited({ version: '1' }))).toEqual(['unknown-version version']);
    expect(found(edited({ version: undefined }))).toEqual(['required version']);
  });
});

describe('names', () => {
  it('rejects names that are not DNS labels', () => {
    expect(found(edited({ name: 'VXLAN' }))).toEqual(['invalid-name name']);
    expect(found(edited({ 'overlays[0].name': '1blue', 'containers[0].interfaces': [], 'containers[1].interfaces': [] }))).toEqual([
      'invalid-name overlays[0].name',
    ]);
    expect(found(edited({ 'containers[0].name': 'web-' }))).toEqual(['invalid-name containers[0].name']);
    expect(found(edited({ 'containers[0].name': 'web_1' }))).toEqual(['invalid-name containers[0].name']);
  });

  it('allows 40 characters for the lab name and 30 for hosts, containers and overlays', () => {
    expect(found(edited({ name: 'a'.repeat(40) }))).toEqual([]);
    expect(found(edited({ name: 'a'.repeat(41) }))).toEqual(['invalid-name name']);
    expect(found(edited({ 'hosts[1].name': 'h'.repeat(30), 'containers[1].host': 'h'.repeat(30) }))).toEqual([]);
    expect(found(edited({ 'hosts[1].name': 'h'.repeat(31), 'containers[1].host': 'h'.repeat(31) }))).toEqual([
      'invalid-name hosts[1].name',
      'unknown-host containers[1].host',
    ]);
  });

  it('suggests a valid name in the message', () => {
    expect(problemsOf(edited({ name: 'My Lab' }))[0]?.message).toContain('my-lab');
  });

  it('keeps host and container names unique together', () => {
    expect(found(edited({ 'containers[0].name': 'host-b' }))).toEqual(['duplicate-name containers[0].name']);
    expect(found(edited({ 'containers[1].name': 'container1' }))).toEqual(['duplicate-name containers[1].name']);
    expect(found(edited({ 'hosts[1].name': 'host-a', 'containers[1].host': 'host-a' }))).toEqual(['duplicate-name hosts[1].name']);
    expect(problemsOf(edited({ 'containers[0].name': 'host-b' }))[0]?.message).toContain('hosts[1]');
  });

  it('keeps overlay names unique among overlays, but lets an overlay share a name with a host', () => {
    const twoBlues = edited({ overlays: [{ name: 'blue', vni: 42, subnet: '10.0.0.0/16' }, { name: 'blue', vni: 43, subnet: '10.1.0.0/16' }] });
    expect(found(twoBlues)).toEqual(['duplicate-name overlays[1].name']);
    expect(found(edited({ 'overlays[0].name': 'host-a', 'containers[0].interfaces': [], 'containers[1].interfaces': [] }))).toEqual([]);
  });
});

describe('host addresses', () => {
  it('rejects addresses that are not strict dotted quads', () => {
    expect(found(edited({ 'hosts[0].ip': '192.168.1.300' }))).toEqual(['invalid-ip hosts[0].ip']);
    expect(found(edited({ 'hosts[0].ip': '192.168.1.010' }))).toEqual(['invalid-ip hosts[0].ip']);
  });

  it('requires host addresses inside the underlay subnet, naming the usable range', () => {
    expect(found(edited({ 'hosts[1].ip': '192.168.2.20' }))).toEqual(['ip-outside-subnet hosts[1].ip']);
    expect(problemsOf(edited({ 'hosts[1].ip': '192.168.2.20' }))[0]?.message).toContain('192.168.1.2 to 192.168.1.254');
  });

  it('rejects the network, broadcast and Docker gateway addresses of the underlay', () => {
    expect(found(edited({ 'hosts[0].ip': '192.168.1.0' }))).toEqual(['ip-reserved hosts[0].ip']);
    expect(found(edited({ 'hosts[0].ip': '192.168.1.255' }))).toEqual(['ip-reserved hosts[0].ip']);
    expect(found(edited({ 'hosts[0].ip': '192.168.1.1' }))).toEqual(['ip-reserved hosts[0].ip']);
    expect(problemsOf(edited({ 'hosts[0].ip': '192.168.1.1' }))[0]?.message).toMatch(/gateway/);
  });

  it('rejects two hosts with the same address', () => {
    expect(found(edited({ 'hosts[1].ip': '192.168.1.10' }))).toEqual(['duplicate-ip hosts[1].ip']);
  });
});

describe('subnets', () => {
  it('rejects a subnet with host bits set and suggests its network form', () => {
    expect(found(edited({ 'underlay.subnet': '192.168.1.10/24' }))).toEqual(['invalid-subnet underlay.subnet']);
    expect(problemsOf(edited({ 'underlay.subnet': '192.168.1.10/24' }))[0]?.message).toContain('write 192.168.1.0/24');
    expect(found(edited({ 'overlays[0].subnet': '10.0.1.0/16' }))).toEqual(['invalid-subnet overlays[0].subnet']);
  });

  it('still checks host addresses against a subnet written with host bits set', () => {
    expect(found(edited({ 'underlay.subnet': '192.168.1.10/24', 'hosts[0].ip': '192.168.7.3' }))).toEqual([
      'invalid-subnet underlay.subnet',
      'ip-outside-subnet hosts[0].ip',
    ]);
  });

  it('rejects text that is not a CIDR, and prefixes outside /8../29', () => {
    expect(found(edited({ 'underlay.subnet': '192.168.1.0' }))).toEqual(['invalid-subnet underlay.subnet']);
    expect(found(edited({ 'underlay.subnet': '192.168.1.0/30' }))).toEqual(['invalid-subnet underlay.subnet']);
    expect(found(edited({ 'overlays[0].subnet': '10.0.0.0/7', 'containers[0].interfaces': [], 'containers[1].interfaces': [] }))).toEqual([
      'invalid-subnet overlays[0].subnet',
    ]);
  });

  it('rejects an overlay subnet that overlaps the underlay', () => {
    const data = edited({ 'overlays[0].subnet': '192.168.0.0/16', 'containers[0].interfaces': [], 'containers[1].interfaces': [] });
    expect(found(data)).toEqual(['subnet-overlap overlays[0].subnet']);
  });
});

describe('references', () => {
  it('rejects a container on a host that does not exist, listing the hosts', () => {
    expect(found(edited({ 'containers[0].host': 'host-c' }))).toEqual(['unknown-host containers[0].host']);
    expect(problemsOf(edited({ 'containers[0].host': 'host-c' }))[0]?.message).toContain('host-a, host-b');
  });

  it('rejects an interface on an overlay that does not exist, and skips its address checks', () => {
    // 172.16.0.1 would be outside and reserved in blue; neither is reported for an unknown overlay.
    const data = edited({ 'containers[0].interfaces[0]': { overlay: 'green', ip: '172.16.0.1' } });
    expect(found(data)).toEqual(['unknown-overlay containers[0].interfaces[0].overlay']);
  });

  it('rejects two interfaces of one container on the same overlay', () => {
    const data = edited({
      'containers[0].interfaces': [
        { overlay: 'blue', ip: '10.0.1.2' },
        { overlay: 'blue', ip: '10.0.1.3' },
      ],
    });
    expect(found(data)).toEqual(['duplicate-interface-overlay containers[0].interfaces[1].overlay']);
  });
});

describe('interface addresses', () => {
  it('rejects an invalid address', () => {
    expect(found(edited({ 'containers[0].interfaces[0].ip': '10.0.1' }))).toEqual(['invalid-ip containers[0].interfaces[0].ip']);
  });

  it('requires the address inside its overlay subnet', () => {
    expect(found(edited({ 'containers[0].interfaces[0].ip': '10.1.1.2' }))).toEqual(['ip-outside-subnet containers[0].interfaces[0].ip']);
  });

  it("rejects the overlay's network, broadcast and gateway addresses", () => {
    expect(found(edited({ 'containers[0].interfaces[0].ip': '10.0.0.0' }))).toEqual(['ip-reserved containers[0].interfaces[0].ip']);
    expect(found(edited({ 'containers[0].interfaces[0].ip': '10.0.255.255' }))).toEqual(['ip-reserved containers[0].interfaces[0].ip']);
    expect(found(edited({ 'containers[0].interfaces[0].ip': '10.0.0.1' }))).toEqual(['ip-reserved containers[0].interfaces[0].ip']);
    expect(problemsOf(edited({ 'containers[0].interfaces[0].ip': '10.0.0.1' }))[0]?.message).toContain("overlay's gateway");
  });

  it('rejects the same address twice on one overlay', () => {
    expect(found(edited({ 'containers[1].interfaces[0].ip': '10.0.1.2' }))).toEqual(['duplicate-ip containers[1].interfaces[0].ip']);
  });
});

describe('overlay numbers', () => {
  it('requires a VNI from 1 to 16777215', () => {
    expect(found(edited({ 'overlays[0].vni': 0 }))).toEqual(['vni-range overlays[0].vni']);
    expect(found(edited({ 'overlays[0].vni': 16_777_216 }))).toEqual(['vni-range overlays[0].vni']);
    expect(found(edited({ 'overlays[0].vni': 4.5 }))).toEqual(['vni-range overlays[0].vni']);
    expect(found(edited({ 'overlays[0].vni': 16_777_215 }))).toEqual([]);
  });

  it('rejects two overlays with the same VNI', () => {
    const data = edited({ overlays: [{ name: 'blue', vni: 42, subnet: '10.0.0.0/16' }, { name: 'red', vni: 42, subnet: '10.1.0.0/16' }] });
    expect(found(data)).toEqual(['duplicate-vni overlays[1].vni']);
  });

  it('requires a port from 1 to 65535', () => {
    expect(found(edited({ 'overlays[0].port': 0 }))).toEqual(['port-range overlays[0].port']);
    expect(found(edited({ 'overlays[0].port': 65_536 }))).toEqual(['port-range overlays[0].port']);
  });

  it('requires MTUs in range: underlay 1280..9000, overlay from 576', () => {
    expect(found(edited({ 'underlay.mtu': 1279 }))).toEqual(['mtu-range underlay.mtu']);
    expect(found(edited({ 'underlay.mtu': 9001 }))).toEqual(['mtu-range underlay.mtu']);
    expect(found(edited({ 'overlays[0].mtu': 575 }))).toEqual(['mtu-range overlays[0].mtu']);
    expect(found(edited({ 'overlays[0].mtu': 576 }))).toEqual([]);
  });

  it('rejects an overlay MTU that does not leave room for the 50 bytes VXLAN adds', () => {
    expect(found(edited({ 'overlays[0].mtu': 1450 }))).toEqual([]);
    const problems = problemsOf(edited({ 'overlays[0].mtu': 1480 }));
    expect(problems.map((problem) => `${problem.code} ${problem.path}`)).toEqual(['mtu-too-large overlays[0].mtu']);
    expect(problems[0]?.message).toBe(
      'overlays[0].mtu is 1480 but VXLAN adds 50 bytes to every frame, so an overlay on an underlay of MTU 1500 ' +
        'can carry at most 1450: lower the overlay mtu or raise underlay.mtu',
    );
  });
});

describe('reporting', () => {
  it('reports every problem of a file at once, in file order', () => {
    const data = edited({
      version: 3,
      name: 'Bad Name',
      'hosts[1].ip': '192.168.1.10',
      'overlays[0].vni': 0,
      'overlays[0].mtu': 1490,
      'containers[0].host': 'nowhere',
      'containers[1].interfaces[0].ip': '10.0.0.1',
    });
    expect(found(data)).toEqual([
      'unknown-version version',
      'invalid-name name',
      'duplicate-ip hosts[1].ip',
      'vni-range overlays[0].vni',
      'mtu-too-large overlays[0].mtu',
      'unknown-host containers[0].host',
      'ip-reserved containers[1].interfaces[0].ip',
    ]);
  });

  it('starts every message with the path it is about', () => {
    const problems = problemsOf(edited({ 'hosts[1].ip': 'x', 'overlays[0].port': 0, 'containers[0].name': 'host-a' }));
    expect(problems).toHaveLength(3);
    for (const problem of problems) expect(problem.message.startsWith(problem.path)).toBe(true);
  });
});

describe('ranges that cannot be a lab network', () => {
  const noInterfaces = { 'containers[0].interfaces': [], 'containers[1].interfaces': [] };

  it.each([
    ['0.0.0.0/8', '"this network"'],
    ['127.0.0.0/16', 'loopback'],
    ['169.254.0.0/16', 'link-local'],
    ['224.0.0.0/24', 'multicast'],
    ['239.1.0.0/16', 'multicast'],
    ['240.0.0.0/8', 'reserved'],
    ['255.255.255.0/24', 'reserved'],
  ])('refuses the underlay %s, naming the %s range', (subnet, name) => {
    const problems = problemsOf(edited({ 'underlay.subnet': subnet, hosts: [{ name: 'host-a', ip: '1.2.3.4' }], containers: [] }));
    expect(problems.map((problem) => `${problem.code} ${problem.path}`)).toEqual(['subnet-reserved underlay.subnet']);
    expect(problems[0]?.message).toContain(name);
    expect(problems[0]?.message).toContain('choose a private range');
  });

  it('refuses an overlay subnet in one of them too', () => {
    const problems = problemsOf(edited({ 'overlays[0].subnet': '127.0.0.0/8', ...noInterfaces }));
    expect(problems.map((problem) => `${problem.code} ${problem.path}`)).toEqual(['subnet-reserved overlays[0].subnet']);
    expect(problems[0]?.message).toContain('loopback');
  });

  it('accepts the private and ordinary ranges next to them', () => {
    expect(found(edited({ 'underlay.subnet': '126.0.0.0/8', 'hosts[0].ip': '126.0.0.10', 'hosts[1].ip': '126.0.0.20' }))).toEqual([]);
    expect(found(edited({ 'overlays[0].subnet': '172.16.0.0/16', ...noInterfaces }))).toEqual([]);
    expect(found(edited({ 'overlays[0].subnet': '223.255.0.0/16', ...noInterfaces }))).toEqual([]);
  });
});

describe('images', () => {
  it.each(['busybox', 'alpine:3.20', 'registry.example.com:5000/team/tools:1.2.3', `alpine@sha256:${'a'.repeat(64)}`, 'localhost/my_app__x-y.z:v1', 'ghcr.io/org/app:1.0@sha256:' + '0'.repeat(64)])(
    'accepts the image reference %s',
    (image) => {
      expect(found(edited({ 'containers[0].image': image }))).toEqual([]);
      expect(labOf(edited({ 'containers[0].image': image })).containers[0]?.image).toBe(image);
    },
  );

  it.each([
    '--privileged',
    '-v/:/host',
    'alpine -v /:/host',
    'alpine:3.20 --rm',
    '../../containers/json?all=1',
    'Alpine',
    'alpine:',
    'alpine@sha256:abc',
    'registry.example.com:99999/x',
    'a/../b',
    'alpine\n',
  ])('refuses %j, saying what a reference looks like', (image) => {
    const problems = problemsOf(edited({ 'containers[0].image': image }));
    expect(problems.map((problem) => `${problem.code} ${problem.path}`)).toEqual(['invalid-image containers[0].image']);
    expect(problems[0]?.message).toContain('[registry[:port]/]name[:tag][@sha256:<64 hex digits>]');
    expect(problems[0]?.message).toContain('for example busybox');
  });

  it('keeps a huge image value out of the message', () => {
    const problems = problemsOf(edited({ 'containers[0].image': 'x '.repeat(100_000) }));
    expect(problems[0]?.code).toBe('invalid-image');
    expect(problems[0]?.message.length).toBeLessThan(500);
  });
});

describe('control characters in text people read', () => {
  it('refuses escape sequences and bells in the title, naming the character', () => {
    const problems = problemsOf(edited({ title: '\u001b[2J\u001b[1;31mX\u0007' }));
    expect(problems.map((problem) => `${problem.code} ${problem.path}`)).toEqual(['control-character title']);
    expect(problems[0]?.message).toContain('U+001B at position 1');
  });

  it('refuses C1 controls and DEL, and line breaks and tabs in the title', () => {
    for (const title of ['a\u009bb', 'a\u007fb', 'two\nlines', 'a\tb']) {
      expect(found(edited({ title }))).toEqual(['control-character title']);
    }
  });

  it('allows line breaks and tabs in the description, but no other control character', () => {
    expect(found(edited({ description: 'one\n\ttwo\n' }))).toEqual([]);
    expect(found(edited({ description: 'bell\u0007' }))).toEqual(['control-character description']);
    expect(found(edited({ description: 'cr\r' }))).toEqual(['control-character description']);
  });

  it('keeps ordinary non-ASCII text', () => {
    expect(labOf(edited({ title: 'Überlagerung — 覆盖网络 ✓' })).title).toBe('Überlagerung — 覆盖网络 ✓');
  });
});

// A host is Docker-in-Docker with nearly every capability: a typo in a host shell must
// still not reach the machine. These checks run in a real host of a real lab, and every
// probe is harmless should the fence ever be missing: files are opened, never written to.
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers, nothingLeft, ping, renamedTemplate, run, testEngine, uniqueName } from './lab-harness.js';
import { underlayFromOctet } from './test-underlays.js';
import { hostContainerName } from '../../electron/lab/naming.js';

const engine = testEngine();
const name = uniqueName('harden');
const { lab } = renamedTemplate('vxlan-basics.yaml', name, underlayFromOctet(210));

/** Runs a shell command line in host-a. */
function inHost(command: string) {
  return run(engine, name, 'host-a', ['sh', '-c', command]);
}

describe('a host fences off the machine', () => {
  afterAll(async () => {
    await engine.down(name);
    expect(await leftovers(name)).toEqual(nothingLeft);
  });

  it('still runs its inner engine, veths, sysctls and nsenter: the lab pings across the tunnel', async () => {
    await engine.up(lab);
    expect(await ping(engine, name, 'container1', '10.0.2.3')).toBe(0);
  });

  it('is made with /proc/sysrq-trigger read-only, and cannot open it for writing', async () => {
    const info = await engine.docker.getContainer(hostContainerName(name, 'host-a')).inspect();
    expect(info.HostConfig.ReadonlyPaths).toContain('/proc/sysrq-trigger');
    expect(info.HostConfig.MaskedPaths).toEqual(expect.arrayContaining(['/proc/kcore', '/proc/keys', '/proc/timer_list']));
    // Opened for appending and closed with nothing written: on an unfenced host this does nothing.
    // (A kernel without CONFIG_MAGIC_SYSRQ has no such file at all: the open fails too.)
    const result = await inHost('exec 3>>/proc/sysrq-trigger');
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/Read-only file system|nonexistent|No such file/);
  });

  it("cannot open the machine-wide sysctls (kernel.core_pattern) for writing, but sets its own net.* ones", async () => {
    const kernel = await inHost('exec 3<>/proc/sys/kernel/core_pattern');
    expect(kernel.exitCode).not.toBe(0);
    expect(kernel.stderr).toMatch(/Read-only file system/);
    const net = await inHost('sysctl -w net.ipv4.ip_forward=0');
    expect(net.exitCode).toBe(0);
  });

  it('may use every character device but block devices only to make a node: the device cgroup grants no block read or write', async () => {
    const grantsBlockAccess = (rule: string) => /^[ab] \S+ \S*[rw]/.test(rule);
    const info = await engine.docker.getContainer(hostContainerName(name, 'host-a')).inspect();
    expect((info.HostConfig.DeviceCgroupRules ?? []).filter(grantsBlockAccess)).toEqual([]);
    // What the kernel enforces, on cgroup v1 (v2 keeps the rules in an eBPF program instead).
    const list = await inHost(
      `cgroup=$(awk -F: '$2 == "devices" { print $3 }' /proc/self/cgroup); [ -n "$cgroup" ] && cat "/sys/fs/cgroup/devices$cgroup/devices.list"`,
    );
    if (list.exitCode === 0) {
      const rules = list.stdout.split('\n').filter(Boolean);
      expect(rules).toContain('c *:* rwm');
      expect(rules.filter(grantsBlockAccess)).toEqual([]);
    }
  });

  it("may make a node for the machine's disk but cannot read it", async () => {
    // The first block device the machine lists (/proc/partitions is not namespaced), on /dev,
    // the one tmpfs of a host that allows device nodes.
    const result = await inHost(
      "set -- $(awk 'NR > 2 && NF == 4 { print $1, $2; exit }' /proc/partitions); " +
        'rm -f /dev/vxlab-disk; mknod /dev/vxlab-disk b "${1:-8}" "${2:-0}" && echo made; ' +
        'dd if=/dev/vxlab-disk of=/dev/null bs=512 count=1; status=$?; rm -f /dev/vxlab-disk; exit $status',
    );
    expect(result.stdout).toContain('made');
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/Operation not permitted/);
  });

  it("sees Docker's masked paths that exist on the machine as empty character devices", async () => {
    const result = await inHost(
      'for p in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug; do ' +
        '[ -e "$p" ] || continue; if [ -c "$p" ] && [ ! -s "$p" ]; then echo "$p masked"; else echo "$p open"; fi; done',
    );
    expect(result.stdout).not.toContain('open');
    // /proc/keys exists on every kernel with keyrings, which Docker needs anyway.
    expect(result.stdout).toContain('/proc/keys masked');
  });
});

// `vxlab trace` as a person reads it: one line per hop with its time, place, headers and
// deciding entry, every value from a host escaped; and the command's own argument checks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceResult } from '../../electron/api/types.js';
import { main } from '../../electron/cli.js';
import { renderTrace } from '../../electron/cli/trace-text.js';

const recorded = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/trace/trace-result.json'), 'utf8')) as TraceResult;

describe('renderTrace', () => {
  const text = renderTrace(recorded);
  const lines = text.split('\n');

  it('prints one line per hop: time since the first, node and interface, inner headers before the tunnel, outer and inner in it', () => {
    const hopLines = lines.filter((line) => /^\s*\d+ +\+\d+ µs/.test(line));
    expect(hopLines).toHaveLength(16);
    expect(hopLines[0]).toMatch(/^ {2}1 +\+0 µs {2}container1 eth0 +\(sender\) +10\.0\.1\.2 > 10\.0\.2\.3 ICMP echo request id \d+ seq 1 ttl 64 ip-id \d+$/);
    expect(hopLines[3]).toMatch(/host-a eth0 +\(underlay-out\) 192\.168\.214\.10:\d+ > 192\.168\.214\.20:4789 VXLAN vni 42 \| 10\.0\.1\.2 > 10\.0\.2\.3 ICMP echo request/);
    expect(hopLines[8]).toMatch(/container2 eth0 +\(sender\) +10\.0\.2\.3 > 10\.0\.1\.2 ICMP echo reply/);
  });

  it("puts each hop's deciding entry under it, with where it points", () => {
    const vtep = lines.findIndex((line) => line.includes('host-a vxlan42') && line.includes('(vtep)'));
    expect(lines[vtep + 1]).toMatch(/^ +fdb: 02:0c:8b:e1:b8:b2 dev vxlan42 dst 192\.168\.214\.20 learned \(container2 eth0\) -> 192\.168\.214\.20$/);
  });

  it('escapes what hosts and frames said, so no value moves the cursor or starts a line of its own', () => {
    const hostile = structuredClone(recorded);
    const hop = hostile.request[0];
    if (!hop?.decision) throw new Error('the fixture has a decision at the sender');
    hop.node = 'evil\x1b[2J';
    hop.decision.entry = 'entry\nFAKE LINE';
    const out = renderTrace(hostile);
    expect(out).not.toContain('\x1b');
    expect(out).toContain('evil\\x1b[2J');
    expect(out).toContain('entry\\x0aFAKE LINE');
    expect(out.split('\n').some((line) => line.startsWith('FAKE LINE'))).toBe(false);
  });

  it('lists the problems of a trace that did not make it back', () => {
    const out = renderTrace({ ...recorded, reply: [], problems: ['No echo reply from container2 (10.0.2.3) was seen within the ping\'s 2 s.'] });
    expect(out).toMatch(/Reply:\n {2}not seen\n\nProblems:\n {2}No echo reply from container2/);
  });
});

describe('vxlab trace', () => {
  it('needs NAME, FROM and DEST, and says so without touching an engine', async () => {
    const err: string[] = [];
    const code = await main(['trace', 'vxlan-basics', 'container1'], { out: () => undefined, err: (text) => err.push(text) });
    expect(code).toBe(2);
    expect(err.join('')).toContain('vxlab trace needs DEST');
  });

  it('refuses a DEST that is neither a node nor an IPv4 address, naming the field', async () => {
    const err: string[] = [];
    const code = await main(['trace', 'vxlan-basics', 'container1', '10.0.0.256'], { out: () => undefined, err: (text) => err.push(text) }, {
      engine: () => {
        throw new Error('no engine needed to refuse a bad DEST');
      },
    });
    expect(code).toBe(1);
    expect(err.join('')).toContain('dest: the destination is neither a node name nor an IPv4 address');
  });
});

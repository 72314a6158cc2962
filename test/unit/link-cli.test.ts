// `vxlab link` refuses bad options with exit 2 and a sentence naming the option, before it
// looks for the node: nothing runs in any host. The engine here is a stand-in that records
// whether it was asked anything; test/engine/link-faults.test.ts runs the real thing.
import { describe, expect, it } from 'vitest';
import { main } from '../../electron/cli.js';
import { renderLinkState } from '../../electron/cli/link.js';

async function runLink(args: string[]) {
  let out = '';
  let err = '';
  let asked = 0;
  const engine = {
    locateNode: () => {
      asked++;
      throw new Error('the stand-in engine was asked for a node');
    },
  };
  const code = await main(['link', ...args], { out: (text) => (out += text), err: (text) => (err += text) }, { engine: () => engine as never });
  return { code, out, err, asked };
}

describe('vxlab link options', () => {
  it.each([
    [['lab', 'node', '--loss', '5'], /--loss "5" needs a percent sign/],
    [['lab', 'node', '--rate', 'fast'], /--rate "fast" is not a number with a unit/],
    [['lab', 'node', '--jitter', '5ms'], /--jitter varies a delay/],
    [['lab', 'node', '--down', '--up'], /--down and --up cannot go together/],
    [['lab', 'node', '--iface', 'eth0;id', '--clear'], /--iface "eth0;id" is not an interface name/],
    [['lab', 'no de'], /vxlab link NODE/],
  ])('refuses %j with exit 2 and asks the engine nothing', async (args, message) => {
    const result = await runLink(args);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.asked).toBe(0);
  });

  it('names the mechanism and the settings, escaping what the node printed', () => {
    const text = renderLinkState({ node: 'host-b', iface: 'eth0', mechanism: 'netfilter+tbf', up: true, qdisc: 'qdisc tbf 8001: rate 10Mbit\u001b[2J', dropProbability: 0.05 });
    expect(text).toContain('host-b eth0: link up');
    expect(text).toContain('mechanism: netfilter random drop and tbf');
    expect(text).toContain('5% of packets sent');
    expect(text).not.toContain('\u001b');
  });
});

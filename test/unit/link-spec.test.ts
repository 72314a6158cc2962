// `vxlab link`'s options read into one request: values and units, bounds, contradictions,
// each refusal naming the option and how to write it; and the script built from a request
// carries every value as one inert word and refuses delay before it changes anything.
import { describe, expect, it } from 'vitest';
import { linkChain, linkScript, parseLinkState, tbfBurstBytes } from '../../electron/engine/link-faults.js';
import {
  checkInterfaceName,
  describeFaults,
  LinkSpecError,
  parseDuration,
  parseLoss,
  parseRate,
  planLinkRequest,
} from '../../electron/lab/link-spec.js';

describe('link values', () => {
  it('reads loss as a fraction', () => {
    expect(parseLoss('5%')).toBe(0.05);
    expect(parseLoss('100%')).toBe(1);
    expect(parseLoss('0.5%')).toBeCloseTo(0.005);
  });

  it('refuses loss without a percent sign, out of range, or not a number', () => {
    expect(() => parseLoss('5')).toThrow(/--loss "5" needs a percent sign\. Write it like --loss 5%/);
    expect(() => parseLoss('0%')).toThrow(/--loss "0%" is out of range.*--clear/);
    expect(() => parseLoss('101%')).toThrow(/out of range/);
    expect(() => parseLoss('lots')).toThrow(/--loss "lots" is not a number with a unit/);
    expect(() => parseLoss('-5%')).toThrow(LinkSpecError);
  });

  it('reads rates in tc units as bits per second', () => {
    expect(parseRate('10mbit')).toBe(10_000_000);
    expect(parseRate('512kbit')).toBe(512_000);
    expect(parseRate('1Gbit')).toBe(1_000_000_000);
    expect(parseRate('1mbps')).toBe(8_000_000);
  });

  it('refuses a rate without a known unit or out of bounds', () => {
    expect(() => parseRate('10')).toThrow(/--rate "10" has no known unit\. Use bit, kbit, mbit or gbit/);
    expect(() => parseRate('10furlongs')).toThrow(/no known unit/);
    expect(() => parseRate('1kbit')).toThrow(/--rate "1kbit" is out of range: give from 8kbit to 10gbit/);
    expect(() => parseRate('11gbit')).toThrow(/out of range/);
  });

  it('reads durations as microseconds and bounds them', () => {
    expect(parseDuration('delay', '50ms')).toBe(50_000);
    expect(parseDuration('delay', '1s')).toBe(1_000_000);
    expect(parseDuration('jitter', '250us')).toBe(250);
    expect(() => parseDuration('delay', '50')).toThrow(/--delay "50" has no known unit\. Use us, ms or s, like --delay 50ms/);
    expect(() => parseDuration('jitter', '11s')).toThrow(/--jitter "11s" is out of range/);
    expect(() => parseDuration('delay', '0ms')).toThrow(/out of range/);
  });

  it('bounds the text it shows back', () => {
    const long = '9'.repeat(10_000);
    const error = (() => {
      try {
        parseRate(long);
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('no error');
    })();
    expect(error.message.length).toBeLessThan(200);
  });
});

describe('link requests', () => {
  it('shows the link when no option is given', () => {
    expect(planLinkRequest({})).toEqual({ kind: 'show' });
  });

  it('sets exactly the faults given', () => {
    expect(planLinkRequest({ loss: '5%', rate: '10mbit', delay: '50ms', jitter: '5ms' })).toEqual({
      kind: 'set',
      faults: { loss: 0.05, rateBitsPerSecond: 10_000_000, delayMicroseconds: 50_000, jitterMicroseconds: 5_000 },
    });
  });

  it('takes one of --down, --up, --clear, alone', () => {
    expect(planLinkRequest({ down: true })).toEqual({ kind: 'down' });
    expect(planLinkRequest({ up: true })).toEqual({ kind: 'up' });
    expect(planLinkRequest({ clear: true })).toEqual({ kind: 'clear' });
    expect(() => planLinkRequest({ down: true, up: true })).toThrow(/--down and --up cannot go together/);
    expect(() => planLinkRequest({ clear: true, loss: '5%' })).toThrow(/--clear takes no --loss/);
  });

  it('refuses jitter without a delay, or larger than it', () => {
    expect(() => planLinkRequest({ jitter: '5ms' })).toThrow(/--jitter varies a delay: give --delay too/);
    expect(() => planLinkRequest({ delay: '5ms', jitter: '50ms' })).toThrow(/--jitter is larger than --delay/);
  });

  it('checks interface names', () => {
    expect(checkInterfaceName('eth0')).toBe('eth0');
    expect(() => checkInterfaceName('eth0; reboot')).toThrow(/--iface "eth0; reboot" is not an interface name/);
    expect(() => checkInterfaceName('a'.repeat(16))).toThrow(LinkSpecError);
  });

  it('describes faults in the words they are typed in', () => {
    expect(describeFaults({ loss: 0.05, rateBitsPerSecond: 10_000_000, delayMicroseconds: 50_000, jitterMicroseconds: 500 })).toBe(
      'delay 50ms, jitter 500us, loss 5%, rate 10mbit',
    );
  });
});

describe('link script', () => {
  it('enters a container namespace and keeps its chain per interface', () => {
    const text = linkScript({ kind: 'set', faults: { loss: 0.5 } }, 'eth1', 'container2');
    expect(text).toContain('nsenter -t "$pid" -n');
    expect(text).toContain("docker inspect -f '{{.State.Pid}}' container2");
    expect(text).toContain(`-m statistic --mode random --probability 0.5 -j DROP`);
    expect(text).toContain(`-I OUTPUT -o eth1 -j ${linkChain('eth1')}`);
    expect(text).toContain('root netem loss 50%');
  });

  it('refuses delay before any change when the kernel has no netem', () => {
    const text = linkScript({ kind: 'set', faults: { delayMicroseconds: 50_000 } }, 'eth0', undefined);
    const refuse = text.indexOf('[ "$netem" = 1 ] || exit 3');
    expect(refuse).toBeGreaterThan(0);
    expect(refuse).toBeLessThan(text.indexOf('qdisc del'));
    expect(text).toContain('netem delay 50000us');
  });

  it('gives tbf a bucket of at least a tick and a frame', () => {
    expect(tbfBurstBytes(10_000_000)).toBe(16_384);
    expect(tbfBurstBytes(10_000_000_000)).toBe(12_500_000);
  });

  it('reads the link back from what the script prints', () => {
    const state = parseLinkState('netem 0\nflags BROADCAST,MULTICAST,UP,LOWER_UP\nqdisc tbf 8001: root refcnt 2 rate 10Mbit burst 16Kb lat 100ms\nprobability 0.50000000000\n', 'host-b', 'eth0');
    expect(state).toEqual({ node: 'host-b', iface: 'eth0', mechanism: 'netfilter+tbf', up: true, qdisc: 'qdisc tbf 8001: root refcnt 2 rate 10Mbit burst 16Kb lat 100ms', dropProbability: 0.5 });
    expect(parseLinkState('netem 1\nflags BROADCAST,MULTICAST\n', 'c', 'eth0')).toEqual({ node: 'c', iface: 'eth0', mechanism: 'netem', up: false });
  });
});

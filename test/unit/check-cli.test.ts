// `vxlab check` and `vxlab solve` refuse a bad --step or lab name with exit 2 and a sentence
// naming the option, before anything touches Docker.
import { describe, expect, it } from 'vitest';
import { main } from '../../electron/cli.js';

async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (text) => (out += text), err: (text) => (err += text) }, {
    engine: () => {
      throw new Error('the engine must not be used');
    },
  });
  return { code, out, err };
}

describe('vxlab check and solve on the command line', () => {
  it('refuses a step that is not a whole number from 1', async () => {
    for (const step of ['0', 'two', '1.5', '999999']) {
      const result = await runCli(['check', 'lab', '--step', step]);
      expect(result.code).toBe(2);
      expect(result.err).toContain('vxlab check --step');
      expect(result.err).toContain('write a whole number from 1 to 32');
    }
  });

  it('refuses a lab name that is not one, for solve too', async () => {
    const result = await runCli(['solve', 'Bad Name!']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('vxlab solve NAME');
  });

  it('lists check and solve in the usage', async () => {
    const result = await runCli(['--help']);
    expect(result.out).toContain('vxlab check NAME [--step N] [--json]');
    expect(result.out).toContain('vxlab solve NAME [--step N]');
    expect(result.out).toContain('vxlab setup NAME [--step N]');
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { raw, script, sh, shellQuote } from '../../electron/engine/shell-script.js';
import type { ShellFragment } from '../../electron/engine/shell-script.js';

/** A directory a hostile value would touch a file in if the shell ever ran it. */
const scratch = mkdtempSync(join(tmpdir(), 'vxlab-sh-'));
const canary = join(scratch, 'ran');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const HOSTILE = [
  'two words',
  "it's",
  'say "hi"',
  `$(touch ${canary})`,
  `\`touch ${canary}\``,
  `; touch ${canary}`,
  `x' ; touch ${canary} ; '`,
  `\n touch ${canary} #`,
  '-rf',
  '--privileged',
  '*',
  '$HOME',
  '\\',
  '',
  'tab\there',
  '~root',
];

/** Runs a script with sh and returns the arguments `printf` received, one per NUL-ended record. */
function argumentsSeen(fragment: ShellFragment): string[] {
  const result = spawnSync('sh', ['-c', script(fragment)], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout.split('\0').slice(0, -1);
}

describe('sh``: every value is one inert word', () => {
  for (const value of HOSTILE) {
    it(`${JSON.stringify(value)} reaches the command as exactly one argument and runs nothing`, () => {
      expect(argumentsSeen(sh`printf '%s\\0' before ${value} after`)).toEqual(['before', value, 'after']);
      expect(existsSync(canary)).toBe(false);
    });
  }

  it('keeps a value one word where it is glued to other text', () => {
    expect(argumentsSeen(sh`printf '%s\\0' /sys/class/net/${'a b'}/ifalias`)).toEqual(['/sys/class/net/a b/ifalias']);
  });

  it('keeps a value one word inside a command substitution within double quotes', () => {
    expect(argumentsSeen(sh`printf '%s\\0' "$(printf '%s' ${"x' \"$(y)"})"`)).toEqual(["x' \"$(y)"]);
  });

  it('makes each item of a list its own word', () => {
    expect(argumentsSeen(sh`printf '%s\\0' ${['a b', '$(c)', '-d']}`)).toEqual(['a b', '$(c)', '-d']);
  });

  it('refuses a value with a NUL byte, which the shell would cut short', () => {
    expect(() => sh`echo ${'a\0b'}`).toThrow(/NUL/);
  });

  it('writes numbers as they are', () => {
    expect(sh`ip link add vxlan42 type vxlan id ${42} dstport ${4789}`.text).toBe('ip link add vxlan42 type vxlan id 42 dstport 4789');
    expect(() => sh`sleep ${Number.NaN}`).toThrow(/not a number/);
  });
});

describe('sh``: exact text', () => {
  it('leaves plain words bare, so scripts read as they would by hand', () => {
    const device = 'vxlan42';
    const vni = 42;
    expect(sh`ip link add ${device} type vxlan id ${vni} dev eth0 local ${'192.168.1.10'}`.text).toBe(
      'ip link add vxlan42 type vxlan id 42 dev eth0 local 192.168.1.10',
    );
  });

  it("quotes everything else in single quotes, a quote as '\\''", () => {
    expect(sh`echo ${"it's $(x)"}`.text).toBe(`echo 'it'\\''s $(x)'`);
    expect(sh`echo ${''}`.text).toBe(`echo ''`);
  });

  it('puts fragments in as they are, and only fragments', () => {
    const redirect = raw('>/dev/null 2>&1');
    expect(sh`docker rm -f ${'c1'} ${redirect}`.text).toBe('docker rm -f c1 >/dev/null 2>&1');
    expect(sh`a ${sh`b ${'c d'}`}`.text).toBe(`a b 'c d'`);
    // Something that only looks like a fragment is a value like any other.
    const forged = { text: '; rm -rf /' } as unknown as ShellFragment;
    expect(() => sh`echo ${forged}`).toThrow(/neither text, a number nor a shell fragment/);
  });

  it('joins a script line by line', () => {
    expect(script(raw('set -e'), [sh`echo ${'a b'}`, raw('true')])).toBe(`set -e\necho 'a b'\ntrue`);
    expect(() => script('rm -rf /' as unknown as ShellFragment)).toThrow(/fragment/);
  });
});

describe('sh``: refuses a value where quoting cannot protect it', () => {
  it('inside double quotes', () => {
    expect(() => sh`echo "hello ${'x'}"`).toThrow(/inside quotes or a comment/);
  });

  it('inside single quotes', () => {
    expect(() => sh`echo 'hello ${'x'}'`).toThrow(/inside quotes or a comment/);
  });

  it('inside a comment, where a newline in the value would start a command', () => {
    expect(() => sh`true # overlay ${'x'}`).toThrow(/inside quotes or a comment/);
    expect(sh`echo a#${'b c'}`.text).toBe(`echo a#'b c'`);
  });

  it('after a quote the fragment itself left open', () => {
    expect(() => sh`echo "unterminated`).toThrow(/leaves a quote/);
    expect(() => sh`x=$(echo`).toThrow(/leaves a quote or a \$\( open/);
  });

  it('but not after quotes and substitutions that closed', () => {
    expect(sh`[ "$(cat /x)" = 'y' ] && echo $((1+2)) ${'v w'}`.text).toBe(`[ "$(cat /x)" = 'y' ] && echo $((1+2)) 'v w'`);
    expect(sh`printf "a\\"b" ${'c'}`.text).toBe('printf "a\\"b" c');
  });
});

describe('shellQuote', () => {
  it('is what sh`` uses for one word', () => {
    for (const value of HOSTILE) expect(sh`${value}`.text).toBe(shellQuote(value));
  });
});

// electron/packets runs in the renderer as well as in Node: the linter refuses Node imports
// there, and the pure typecheck (electron/lab/tsconfig.json, no Node types) covers the folder.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('electron/packets is pure', () => {
  it('is linted with the no-Node rule', async () => {
    const eslint = new ESLint({ cwd: root });
    const [result] = await eslint.lintText("import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n", {
      filePath: join(root, 'electron/packets/scratch-probe.ts'),
    });
    expect(result?.messages.map((message) => message.message)).toEqual([
      "'node:fs' import is restricted from being used by a pattern. electron/packets is pure: the renderer decodes packets too. No Node imports.",
    ]);
  });

  it('is compiled by the pure typecheck, which has no Node types', () => {
    const configPath = join(root, 'electron/lab/tsconfig.json');
    const read = ts.readConfigFile(configPath, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configPath));
    expect(parsed.options.types).toEqual([]);
    const files = parsed.fileNames.map((file) => file.slice(root.length + 1));
    expect(files).toEqual(expect.arrayContaining(['electron/packets/decode.ts', 'electron/packets/pcap.ts', 'electron/packets/pairing.ts', 'electron/packets/layers/vxlan.ts']));
  });
});

// The layering holds by compiler and linter, not by convention: renderer code and the
// pure lab model compile without Node types, the contract's types pull in none, and
// the engine may not reach the service. Scratch files are compiled in-process with the
// project's own tsconfig files, so this checks the real settings in a few seconds.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const scratch = mkdtempSync(join(tmpdir(), 'vxlab-boundaries-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
/** Compiles `code` as one file under the compiler options of `config`; returns the error texts. */
function compileWith(config: string, code: string): string[] {
  const configPath = join(root, config);
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configPath));
  // .mts: an ES module whatever the (absent) package.json of the scratch directory says.
  const file = join(scratch, `scratch-${counter++}.mts`);
  writeFileSync(file, code);
  const program = ts.createProgram({ rootNames: [file], options: { ...parsed.options, noEmit: true } });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file?.fileName === file || diagnostic.file === undefined)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

const contract = join(root, 'electron/api/contract.js');
const labParse = join(root, 'electron/lab/parse.js');

describe('renderer compile (renderer/tsconfig.json)', () => {
  it('has no Node types even when it imports the whole contract', () => {
    const errors = compileWith(
      'renderer/tsconfig.json',
      `import type { ApiClient, LabStatus, VtepView, EngineEvent } from ${JSON.stringify(contract)};\n` +
        `export function home(client: ApiClient, status: LabStatus, view: VtepView, event: EngineEvent): string {\n` +
        `  return String(client.mode) + status.name + view.host + event.type + process.env.HOME;\n}\n`,
    );
    expect(errors.join('\n')).toMatch(/Cannot find name 'process'/);
  });

  it('compiles browser code that uses the contract', () => {
    const errors = compileWith(
      'renderer/tsconfig.json',
      `import type { ApiClient, LabStatus } from ${JSON.stringify(contract)};\n` +
        `export async function title(client: ApiClient): Promise<string> {\n` +
        `  const status: LabStatus = await client.request('lab.status', { name: 'demo' });\n` +
        `  document.title = status.title;\n  return document.title;\n}\n`,
    );
    expect(errors).toEqual([]);
  });
});

describe('lab model compile (electron/lab/tsconfig.json)', () => {
  it('refuses Node: no process, no node:fs', () => {
    const errors = compileWith(
      'electron/lab/tsconfig.json',
      `import { readFileSync } from 'node:fs';\nimport { parseLabText } from ${JSON.stringify(labParse)};\n` +
        `export const parsed = parseLabText(readFileSync(process.env.LAB ?? '', 'utf8'));\n`,
    );
    const text = errors.join('\n');
    expect(text).toMatch(/Cannot find name 'process'/);
    expect(text).toMatch(/node:fs/);
  });

  it('refuses the DOM too: the model runs on both sides', () => {
    expect(compileWith('electron/lab/tsconfig.json', `export const t = document.title;\n`).join('\n')).toMatch(/Cannot find name 'document'/);
  });

  it('compiles pure code that parses a lab', () => {
    const errors = compileWith(
      'electron/lab/tsconfig.json',
      `import { parseLabText } from ${JSON.stringify(labParse)};\nexport const ok: boolean = parseLabText('name: x').ok;\n`,
    );
    expect(errors).toEqual([]);
  });
});

describe('lint layering (eslint.config.js)', () => {
  const eslint = new ESLint({ cwd: root });
  async function lintMessages(code: string, filePath: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
    return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
  }

  it('the engine may import the contract types but never the service', async () => {
    expect(await lintMessages(`import type { LabStatus } from '../api/types.js';\nexport type S = LabStatus;\n`, 'electron/engine/scratch.ts')).toEqual([]);
    expect(await lintMessages(`import type { VxlabService } from '../api/service.js';\nexport type S = VxlabService;\n`, 'electron/engine/scratch.ts'))
      .toEqual([expect.stringMatching(/never the service/)]);
  });

  it('the contract may not import the engine', async () => {
    expect(await lintMessages(`import type { LabEngine } from '../engine/lab-engine.js';\nexport type E = LabEngine;\n`, 'electron/api/types.ts'))
      .toEqual([expect.stringMatching(/owns its types/)]);
  });

  it('the renderer may not import Node or the engine', async () => {
    const messages = await lintMessages(
      `import { readFileSync } from 'node:fs';\nimport type { LabEngine } from '../../electron/engine/lab-engine';\nexport const x: [typeof readFileSync, LabEngine?] = [readFileSync];\n`,
      'renderer/src/scratch.ts',
    );
    expect(messages).toHaveLength(2);
  });
});

// Shared by the engine tests: labs with unique names, the CLI as a child process,
// and the checks that nothing labelled with a lab is left behind.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connectDocker } from '../../electron/engine/docker.js';
import { LabEngine } from '../../electron/engine/lab-engine.js';
import { LabStore } from '../../electron/engine/lab-store.js';
import { execCapture } from '../../electron/engine/exec.js';
import { LABEL_LAB } from '../../electron/engine/labels.js';
import type { Lab } from '../../electron/lab/model.js';
import { parseLabText } from '../../electron/lab/parse.js';

export const repoRoot = resolve(import.meta.dirname, '../..');

/** State kept apart from the person's own labs. */
export const stateDirectory = mkdtempSync(join(tmpdir(), 'vxlab-test-state-'));
process.env.VXLAB_STATE_DIR = stateDirectory;

export function testEngine(): LabEngine {
  return new LabEngine(connectDocker(), new LabStore(stateDirectory));
}

export function uniqueName(prefix: string): string {
  return `t-${prefix}-${process.pid.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

export function templateText(file: string): string {
  return readFileSync(join(repoRoot, 'lab-templates', file), 'utf8');
}

/** A template under another name, addresses untouched, as text and as a model. */
export function renamedTemplate(file: string, name: string): { text: string; lab: Lab } {
  const text = templateText(file).replace(/^name: .*$/m, `name: ${name}`);
  return { text, lab: parseOk(text) };
}

export function parseOk(text: string): Lab {
  const result = parseLabText(text);
  if (!result.ok) throw new Error(`test lab is invalid: ${JSON.stringify(result.problems)}`);
  return result.lab;
}

/** Runs a command in a container of the lab (through its host's engine) or in a host. */
export async function run(engine: LabEngine, lab: string, node: string, command: string[]) {
  const target = await engine.locateNode(lab, node);
  const cmd = target.container ? ['docker', 'exec', target.container, ...command] : command;
  return execCapture(target.host, cmd);
}

export function lossPercent(pingOutput: string): number {
  const match = /(\d+(?:\.\d+)?)% packet loss/.exec(pingOutput);
  if (!match?.[1]) throw new Error(`no packet loss figure in: ${pingOutput}`);
  return Number(match[1]);
}

export async function ping(engine: LabEngine, lab: string, from: string, to: string, count = 3): Promise<number> {
  const result = await run(engine, lab, from, ['ping', '-c', String(count), '-i', '0.2', '-W', '1', to]);
  return lossPercent(result.stdout + result.stderr);
}

export interface Leftovers {
  containers: string[];
  networks: string[];
  volumes: string[];
}

export async function leftovers(lab: string): Promise<Leftovers> {
  const docker = connectDocker();
  const filters = { label: [`${LABEL_LAB}=${lab}`] };
  const containers = await docker.listContainers({ all: true, filters });
  const networks = await docker.listNetworks({ filters });
  const volumes = (await docker.listVolumes({ filters })).Volumes ?? [];
  return {
    containers: containers.map((c) => c.Names[0] ?? c.Id),
    networks: networks.map((n) => n.Name),
    volumes: volumes.map((v) => v.Name),
  };
}

export const nothingLeft: Leftovers = { containers: [], networks: [], volumes: [] };

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real `vxlab` command in a child process, as a person runs it. */
export function cli(
  args: string[],
  options: { onStderr?: (text: string, kill: () => void) => void; env?: Record<string, string> } = {},
): Promise<CliRun> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin/vxlab.js'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, VXLAB_STATE_DIR: stateDirectory, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onStderr?.(stderr, () => child.kill('SIGKILL'));
    });
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

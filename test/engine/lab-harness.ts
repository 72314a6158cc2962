// Shared by the engine tests: labs with unique names, the CLI as a child process,
// and the checks that nothing labelled with a lab is left behind.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { connectDocker } from '../../electron/engine/docker.js';
import { LabEngine } from '../../electron/engine/lab-engine.js';
import { LabStore } from '../../electron/engine/lab-store.js';
import { execCapture } from '../../electron/engine/exec.js';
import { LABEL_LAB } from '../../electron/engine/labels.js';
import type { Lab } from '../../electron/lab/model.js';
import { parseLabText } from '../../electron/lab/parse.js';
import type { TestUnderlay, TestUnderlayKey } from './test-underlays.js';
import { assertTestLab, E2E_TEMPLATE_FIRST_OCTET, testUnderlay, underlayFromOctet } from './test-underlays.js';

export const repoRoot = resolve(import.meta.dirname, '../..');

/** State kept apart from the person's own labs. */
export const stateDirectory = mkdtempSync(join(tmpdir(), 'vxlab-test-state-'));
process.env.VXLAB_STATE_DIR = stateDirectory;

/** An engine on the test state directory that refuses to bring up anything but a test lab. */
export function testEngine(): LabEngine {
  const engine = new LabEngine(connectDocker(), new LabStore(stateDirectory));
  const up = engine.up.bind(engine);
  engine.up = (lab, ...rest) => {
    assertTestLab(lab.name, [lab.underlay.subnet, ...lab.hosts.map((host) => host.ip)]);
    return up(lab, ...rest);
  };
  return engine;
}

export function uniqueName(prefix: string): string {
  return `t-${prefix}-${process.pid.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

export function templateText(file: string): string {
  return readFileSync(join(repoRoot, 'lab-templates', file), 'utf8');
}

// Test labs get their own names (uniqueName) and underlays (test-underlays.ts), never a person's.
export { assertTestLab, escapeRegExp, isTestUnderlayAddress, testUnderlay } from './test-underlays.js';
export type { TestUnderlay, TestUnderlayKey } from './test-underlays.js';

/**
 * A template under another name and moved onto a test underlay: every address of its /24
 * underlay (in hosts, subnet and prose alike) gets the test prefix. Text and model.
 */
export function renamedTemplate(file: string, name: string, underlay: TestUnderlayKey | TestUnderlay): { text: string; lab: Lab } {
  return movedLab(templateText(file), name, typeof underlay === 'string' ? testUnderlay(underlay) : underlay);
}

function movedLab(original: string, name: string, underlay: TestUnderlay): { text: string; lab: Lab } {
  const from = /^\s*subnet:\s*(\d+\.\d+\.\d+\.)0\/24\s*$/m.exec(original.slice(original.indexOf('underlay:')))?.[1];
  if (!from) throw new Error(`the lab ${name} is made from has no /24 underlay subnet to move`);
  const fromPattern = new RegExp(`\\b${from.replace(/\./g, '\\.')}(\\d{1,3})\\b`, 'g');
  const text = original.replace(/^name: .*$/m, `name: ${name}`).replace(fromPattern, `${underlay.prefix}$1`);
  const lab = parseOk(text);
  assertTestLab(lab.name, [lab.underlay.subnet, ...lab.hosts.map((host) => host.ip)]);
  return { text, lab };
}

/** A host's underlay address in a lab. */
export function hostAddress(lab: Lab, host: string): string {
  const found = lab.hosts.find((entry) => entry.name === host);
  if (!found) throw new Error(`the test lab ${lab.name} has no host ${host}`);
  return found.ip;
}

export interface TestTemplate {
  file: string;
  name: string;
  text: string;
  lab: Lab;
}

/**
 * The gallery's templates for `vxlab serve` in end-to-end tests: in a folder of their own
 * (VXLAB_TEMPLATES_DIR), each with a test name and a test underlay, titles and all else as shipped.
 */
export function testTemplates(): { directory: string; templates: Map<string, TestTemplate> } {
  const directory = mkdtempSync(join(tmpdir(), 'vxlab-test-templates-'));
  const files = readdirSync(join(repoRoot, 'lab-templates')).filter((file) => file.endsWith('.yaml')).sort();
  const templates = new Map<string, TestTemplate>();
  files.forEach((file, index) => {
    const name = uniqueName(`e2e-${basename(file, '.yaml')}`.slice(0, 20));
    const { text, lab } = renamedTemplate(file, name, underlayFromOctet(E2E_TEMPLATE_FIRST_OCTET + index));
    writeFileSync(join(directory, file), text);
    templates.set(file, { file, name, text, lab });
  });
  return { directory, templates };
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
  if (args[0] === 'up' && args[1]) assertTestLabFile(readFileSync(args[1], 'utf8'));
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

/** The runtime guard for a lab file given to `vxlab up`, valid or not. */
function assertTestLabFile(text: string): void {
  const name = /^name:\s*(\S+)/m.exec(text)?.[1] ?? '';
  assertTestLab(name, text.match(/\b192\.168\.\d{1,3}\.\d{1,3}(\/\d{1,2})?/g) ?? []);
}

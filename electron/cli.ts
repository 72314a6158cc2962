// The `vxlab` command: the same engine the desktop app drives, from a terminal.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatProblem, parseLabText } from './lab/parse.js';
import type { Lab } from './lab/model.js';
import { EngineError, isEngineError } from './engine/errors.js';
import { ensureImages } from './engine/images.js';
import { imageRef } from './engine/image-recipes.js';
import { LabEngine } from './engine/lab-engine.js';
import { createProgressPrinter, formatMs } from './cli/progress.js';
import { runInteractiveExec } from './cli/attach.js';
import { renderVtepView } from './cli/vtep-text.js';
import { checkEngine, dockerRefusal } from './engine/docker.js';
import { readVtepView } from './engine/vtep-view.js';

const USAGE = `vxlab: containers on several hosts joined by real VXLAN overlays.

Usage:
  vxlab validate FILE                 check a lab file; every problem with its line:column
  vxlab up FILE [--no-tunnels]        bring a lab up, or converge a running one to FILE
  vxlab down NAME                     remove everything the lab made, volumes included
  vxlab ls [--json]                   the labs on this engine
  vxlab status NAME [--json]          hosts and containers of a lab, with their state
  vxlab exec NAME NODE -- CMD...      run CMD in a host or container (a TTY when attached to one)
  vxlab inspect NAME HOST [--json]    a host's VTEP view: vxlan devices, FDB, neighbours, bridge ports, routes
  vxlab export NAME [-o FILE]         the lab file as deployed
  vxlab images build [--force]        build the host and node images from Debian packages
  vxlab serve [--port N]              the app in a browser: prints an address with a one-time token

Options:
  -h, --help                          this text
  --no-tunnels                        (up) bridges but no VXLAN devices: the underlay alone, to compare
  --json                              machine-readable output

Environment:
  DOCKER_HOST                         the Docker engine to use (default unix:///var/run/docker.sock)
  VXLAB_STATE_DIR                     where applied lab files are kept (default ~/.local/state/vxlab)
`;

type Io = { out: (text: string) => void; err: (text: string) => void };

const defaultIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const dashdash = argv.indexOf('--');
  const ownArgs = dashdash >= 0 ? argv.slice(0, dashdash) : argv;
  const command = dashdash >= 0 ? argv.slice(dashdash + 1) : [];
  let parsed;
  try {
    parsed = parseArgs({
      args: ownArgs,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        json: { type: 'boolean' },
        force: { type: 'boolean' },
        'no-tunnels': { type: 'boolean' },
        output: { type: 'string', short: 'o' },
        port: { type: 'string' },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\nRun \`vxlab --help\` for usage.\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [verb, ...rest] = positionals;
  if (values.help || !verb || verb === 'help') {
    io.out(USAGE);
    return verb || values.help ? 0 : 2;
  }
  try {
    switch (verb) {
      case 'validate':
        return await validateCommand(need(rest, 0, 'FILE', verb), io);
      case 'up':
        return await upCommand(need(rest, 0, 'FILE', verb), { tunnels: !values['no-tunnels'] }, io);
      case 'down':
        return await downCommand(need(rest, 0, 'NAME', verb), io);
      case 'ls':
        return await lsCommand(!!values.json, io);
      case 'status':
        return await statusCommand(need(rest, 0, 'NAME', verb), !!values.json, io);
      case 'exec':
        if (command.length === 0) throw usageError('exec needs a command after --: vxlab exec NAME NODE -- CMD...');
        return await runInteractiveExec(new LabEngine(), need(rest, 0, 'NAME', verb), need(rest, 1, 'NODE', verb), command);
      case 'inspect':
        return await inspectCommand(need(rest, 0, 'NAME', verb), need(rest, 1, 'HOST', verb), !!values.json, io);
      case 'export':
        return await exportCommand(need(rest, 0, 'NAME', verb), values.output, io);
      case 'images':
        if (rest[0] !== 'build') throw usageError('usage: vxlab images build [--force]');
        return await imagesBuildCommand(!!values.force, io);
      case 'serve':
        return await serveCommand(values.port, io);
      default:
        throw usageError(`Unknown command ${verb}. Run \`vxlab --help\` for the commands.`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n`);
      return 2;
    }
    if (isEngineError(error)) {
      io.err(`vxlab: ${error.describe()}\n`);
      return 1;
    }
    const refusal = dockerRefusal(error);
    if (refusal) {
      io.err(`vxlab: the Docker engine refused: ${refusal}\n`);
      return 1;
    }
    io.err(`vxlab: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}

class UsageError extends Error {}

function usageError(message: string): UsageError {
  return new UsageError(message);
}

function need(args: string[], index: number, what: string, verb: string): string {
  const value = args[index];
  if (!value) throw usageError(`vxlab ${verb} needs ${what}. Run \`vxlab --help\` for usage.`);
  return value;
}

async function readLabFile(file: string, io: Io): Promise<{ lab?: Lab; text: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new EngineError('lab-invalid', `Cannot read the lab file ${file}: ${(error as NodeJS.ErrnoException).code ?? error}.`);
  }
  const result = parseLabText(text);
  if (!result.ok) {
    for (const problem of result.problems) io.err(`${formatProblem(problem, file)}\n`);
    io.err(`${file}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}; nothing was changed.\n`);
    return { text };
  }
  return { lab: result.lab, text };
}

async function validateCommand(file: string, io: Io): Promise<number> {
  const { lab } = await readLabFile(file, io);
  if (!lab) return 1;
  io.out(
    `${file}: valid lab ${lab.name}: ${lab.hosts.length} hosts, ${lab.overlays.length} overlays, ${lab.containers.length} containers.\n`,
  );
  return 0;
}

/** `up` checks these before it creates anything: nothing to pick up or clean after them. */
const REFUSED_BEFORE_CREATING = new Set(['engine-unreachable', 'subnet-in-use', 'image-missing', 'image-build-failed', 'not-root']);

async function upCommand(file: string, options: { tunnels: boolean }, io: Io): Promise<number> {
  const { lab, text } = await readLabFile(file, io);
  if (!lab) return 1;
  const engine = new LabEngine();
  let result;
  try {
    result = await engine.up(lab, createProgressPrinter((line) => io.err(line + '\n')), { ...options, sourceText: text });
  } catch (error) {
    if (isEngineError(error) && REFUSED_BEFORE_CREATING.has(error.code)) throw error;
    io.err(`Lab ${lab.name} is not fully up. Fix the cause and run \`vxlab up ${file}\` again (it picks up where it stopped), or remove what was made with \`vxlab down ${lab.name}\`.\n`);
    throw error;
  }
  const { plan } = result;
  const changes = [
    plan.createHosts.length && `${plan.createHosts.length} host(s) made`,
    plan.removeHosts.length && `${plan.removeHosts.length} host(s) removed`,
    plan.createContainers.length && `${plan.createContainers.length} container(s) started`,
    plan.removeContainers.length && `${plan.removeContainers.length} container(s) removed`,
  ].filter(Boolean);
  io.out(`Lab ${lab.name} is up (${formatMs(result.ms)}): ${changes.length ? changes.join(', ') : 'nothing to change'}.\n`);
  io.out(`Try: vxlab exec ${lab.name} ${lab.containers[0]?.name ?? lab.hosts[0]?.name} -- ip addr\n`);
  return 0;
}

async function downCommand(name: string, io: Io): Promise<number> {
  const engine = new LabEngine();
  const started = Date.now();
  const removed = await engine.down(name, createProgressPrinter((line) => io.err(line + '\n')));
  const total = removed.containers + removed.networks + removed.volumes;
  io.out(
    total === 0
      ? `Nothing labelled vxlab.lab=${name} was on the engine.\n`
      : `Lab ${name} is down (${formatMs(Date.now() - started)}): removed ${removed.containers} container(s), ${removed.networks} network(s), ${removed.volumes} volume(s).\n`,
  );
  return 0;
}

async function lsCommand(json: boolean, io: Io): Promise<number> {
  const labs = await new LabEngine().list();
  if (json) {
    io.out(JSON.stringify(labs, null, 2) + '\n');
    return 0;
  }
  if (labs.length === 0) {
    io.out('No labs on this engine. Start one: vxlab up lab-templates/vxlan-basics.yaml\n');
    return 0;
  }
  io.out(table(['NAME', 'HOSTS', 'RUNNING', 'TITLE'], labs.map((l) => [l.name, String(l.hosts), String(l.running), l.title])));
  return 0;
}

async function statusCommand(name: string, json: boolean, io: Io): Promise<number> {
  const status = await new LabEngine().status(name);
  if (json) {
    io.out(JSON.stringify(status, null, 2) + '\n');
    return 0;
  }
  io.out(`Lab ${status.name}${status.title ? ` (${status.title})` : ''}: ${status.state}\n`);
  io.out(
    table(
      ['NODE', 'KIND', 'HOST', 'STATE', 'ADDRESSES'],
      status.nodes.map((n) => [n.name, n.kind, n.host ?? '-', n.state, n.addresses.join(' ')]),
    ),
  );
  return 0;
}

async function inspectCommand(name: string, node: string, json: boolean, io: Io): Promise<number> {
  const engine = new LabEngine();
  const view = await readVtepView(engine, name, node);
  io.out(json ? JSON.stringify(view, null, 2) + '\n' : renderVtepView(view));
  return 0;
}

async function exportCommand(name: string, output: string | undefined, io: Io): Promise<number> {
  const text = await new LabEngine().exportLab(name);
  if (output) {
    await writeFile(output, text);
    io.err(`Wrote the lab ${name} as deployed to ${output}.\n`);
  } else io.out(text);
  return 0;
}

async function imagesBuildCommand(force: boolean, io: Io): Promise<number> {
  const engine = new LabEngine();
  await checkEngine(engine.docker);
  const refs = await ensureImages(engine.docker, createProgressPrinter((line) => io.err(line + '\n')), { force });
  io.out(`host image: ${refs.host}\nnode image: ${refs.node}\n`);
  return imageRef('host') === refs.host ? 0 : 1;
}

async function serveCommand(portText: string | undefined, io: Io): Promise<number> {
  const port = portText === undefined ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--port ${portText} is not a port number (0-65535; 0 picks a free one).`);
  const { serve } = await import('./transport/serve.js');
  const server = await serve({ port, log: (line) => io.err(line + '\n') });
  io.out(`vxlab is serving on 127.0.0.1 only. Open this address (it holds this run's token):\n\n  ${server.url}\n\nCtrl-C stops it.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

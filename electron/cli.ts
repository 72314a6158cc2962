// The `vxlab` command: the app's own front door from a terminal. Every lab request goes
// through the same service and contract as the app's IPC and the browser's WebSocket:
// the same parameter checks, the same per-lab serialization (and lock against the app),
// the same error codes. What comes back from outside is printed through `printable`.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { ApiError, ApiEvent, Method, Params, Result } from './api/contract.js';
import { labNameSchema, nodeNameSchema } from './api/contract.js';
import { toApiError, VxlabService } from './api/service.js';
import { templatesDirectory } from './app-paths.js';
import { formatProblem, parseLabText } from './lab/parse.js';
import type { Problem } from './lab/model.js';
import { ensureImages } from './engine/images.js';
import { imageRef } from './engine/image-recipes.js';
import { LabEngine } from './engine/lab-engine.js';
import { createProgressPrinter, formatMs } from './cli/progress.js';
import { runInteractiveExec } from './cli/attach.js';
import { printable, printableLines } from './cli/printable.js';
import { renderVtepView } from './cli/vtep-text.js';
import { captureCommand, CaptureUsageError } from './cli/capture.js';
import { renderTrace } from './cli/trace-text.js';
import { checkEngine } from './engine/docker.js';
import { linkCommand } from './cli/link.js';
import { LinkSpecError } from './lab/link-spec.js';
import { breakCommand, doctorCommand, DoctorUsageError } from './cli/doctor.js';
import { checkCommand, CheckUsageError, solveCommand } from './cli/check.js';

const USAGE = `vxlab: containers on several hosts joined by real VXLAN overlays.

Usage:
  vxlab validate FILE                 check a lab file; every problem with its line:column
  vxlab up FILE [--no-tunnels]        bring a lab up, or converge a running one to FILE
  vxlab down NAME                     remove everything the lab made, volumes included
  vxlab ls [--json]                   the labs on this engine
  vxlab status NAME [--json]          hosts and containers of a lab, with their state
  vxlab exec NAME NODE -- CMD...      run CMD in a host or container (a TTY when attached to one)
  vxlab inspect NAME HOST [--json]    a host's VTEP view: vxlan devices, FDB, neighbours, bridge ports, routes
  vxlab trace NAME FROM DEST [--json] one ping from container FROM to DEST (a container or its IP), seen at every hop
  vxlab capture NAME NODE [--iface IF] [--filter BPF] [--count N] [-w FILE.pcap] [--json]
                                      tcpdump in a node, one decoded line per packet (VXLAN on the lab's ports);
                                      Ctrl+C or N packets stop it; -w saves a pcap Wireshark opens
  vxlab doctor NAME [--json]          reads every host's VTEPs, pings its paths, names each fault and its fix; exit 1 if any
  vxlab break NAME FAULT [--host H] [--overlay O]
                                      inject a fault to find: vni-mismatch, port-mismatch, missing-flood,
                                      wrong-local, wrong-remote, mtu-blackhole (vxlab up heals it),
                                      underlay-loss (vxlab link NAME HOST --clear heals it)
  vxlab link NAME NODE [--iface IF] [--loss 5%] [--rate 10mbit] [--delay 50ms] [--jitter 5ms] | --down | --up | --clear
                                      faults on one link of a node (default eth0: a host's underlay link); each call sets
                                      exactly the faults given; prints the link and the mechanism (netem, or netfilter+tbf)
  vxlab check NAME [--step N] [--json] runs the lab's objective checks; prints each step with the author's messages;
                                      exit 0 only when all pass (--json: one record per check)
  vxlab solve NAME [--step N]         runs the objectives' solution commands (teachers, demos, tests)
  vxlab setup NAME [--step N]         runs the objectives' setup commands, as a step does when it starts
  vxlab export NAME [-o FILE]         the lab file as deployed
  vxlab images build [--force]        build the host and node images from Debian packages
  vxlab serve [--port N]              the app in a browser: prints an address with a one-time token

Options:
  -h, --help                          this text
  --no-tunnels                        (up) bridges but no VXLAN devices: the underlay alone, to compare
  --json                              machine-readable output

Environment:
  DOCKER_HOST                         the Docker engine to use (default unix:///var/run/docker.sock)
  VXLAB_STATE_DIR                     where applied lab files and per-lab locks are kept (default ~/.local/state/vxlab);
                                      the app and the CLI sharing it take turns on a lab
`;

type Io = { out: (text: string) => void; err: (text: string) => void };

const defaultIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** What the CLI runs against; tests give their own engine and state directory. */
export interface CliDeps {
  engine?: () => LabEngine;
  stateDirectory?: string;
}

export async function main(argv: string[], io: Io = defaultIo, deps: CliDeps = {}): Promise<number> {
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
        iface: { type: 'string' },
        filter: { type: 'string' },
        count: { type: 'string' },
        write: { type: 'string', short: 'w' },
        loss: { type: 'string' },
        rate: { type: 'string' },
        delay: { type: 'string' },
        jitter: { type: 'string' },
        down: { type: 'boolean' },
        up: { type: 'boolean' },
        clear: { type: 'boolean' },
        host: { type: 'string' },
        overlay: { type: 'string' },
        step: { type: 'string' },
      },
    });
  } catch (error) {
    io.err(`${printable((error as Error).message)}\nRun \`vxlab --help\` for usage.\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [verb, ...rest] = positionals;
  if (values.help || !verb || verb === 'help') {
    io.out(USAGE);
    return verb || values.help ? 0 : 2;
  }
  const api = new CliApi(io, deps, `vxlab ${ownArgs.join(' ')}`);
  try {
    switch (verb) {
      case 'validate':
        return await validateCommand(api, need(rest, 0, 'FILE', verb), io);
      case 'up':
        return await upCommand(api, need(rest, 0, 'FILE', verb), { tunnels: !values['no-tunnels'] }, io);
      case 'down':
        return await downCommand(api, need(rest, 0, 'NAME', verb), io);
      case 'ls':
        return await lsCommand(api, !!values.json, io);
      case 'status':
        return await statusCommand(api, need(rest, 0, 'NAME', verb), !!values.json, io);
      case 'exec':
        if (command.length === 0) throw usageError('exec needs a command after --: vxlab exec NAME NODE -- CMD...');
        return await execCommand(api, need(rest, 0, 'NAME', verb), need(rest, 1, 'NODE', verb), command);
      case 'inspect':
        return await inspectCommand(api, need(rest, 0, 'NAME', verb), need(rest, 1, 'HOST', verb), !!values.json, io);
      case 'trace':
        return await traceCommand(api, need(rest, 0, 'NAME', verb), need(rest, 1, 'FROM', verb), need(rest, 2, 'DEST', verb), !!values.json, io);
      case 'capture':
        return await captureCommand(
          api,
          { lab: need(rest, 0, 'NAME', verb), node: need(rest, 1, 'NODE', verb), iface: values.iface, filter: values.filter, count: values.count, write: values.write, json: !!values.json },
          io,
        );
      case 'doctor':
        return await doctorCommand((params) => api.request('lab.doctor', params), need(rest, 0, 'NAME', verb), !!values.json, io);
      case 'break':
        return await breakCommand(api.getEngine(), need(rest, 0, 'NAME', verb), need(rest, 1, 'FAULT', verb), { host: values.host, overlay: values.overlay }, io);
      case 'link':
        return await linkCommand(api.getEngine(), { lab: need(rest, 0, 'NAME', verb), node: need(rest, 1, 'NODE', verb), ...values }, io);
      case 'check':
        return await checkCommand(() => api.getEngine(), need(rest, 0, 'NAME', verb), values.step, !!values.json, io);
      case 'solve':
        return await solveCommand(() => api.getEngine(), need(rest, 0, 'NAME', verb), values.step, io);
      case 'setup':
        return await solveCommand(() => api.getEngine(), need(rest, 0, 'NAME', verb), values.step, io, 'setup');
      case 'export':
        return await exportCommand(api, need(rest, 0, 'NAME', verb), values.output, io);
      case 'images':
        if (rest[0] !== 'build') throw usageError('usage: vxlab images build [--force]');
        return await imagesBuildCommand(api, !!values.force, io);
      case 'serve':
        return await serveCommand(values.port, io);
      default:
        throw usageError(`Unknown command ${printable(verb)}. Run \`vxlab --help\` for the commands.`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof CaptureUsageError || error instanceof DoctorUsageError || error instanceof CheckUsageError || error instanceof LinkSpecError) {
      io.err(`${error.message}\n`);
      return 2;
    }
    // One mapping of errors for every door: the service's.
    printError(error instanceof ApiFailure ? error.error : toApiError(error), io);
    return 1;
  } finally {
    api.close();
  }
}

class UsageError extends Error {}

function usageError(message: string): UsageError {
  return new UsageError(message);
}

/** A request the service answered with an error envelope. */
class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

/**
 * The CLI's session with the service. The engine is made only when a request needs it,
 * so `vxlab validate` never talks to Docker. Progress events print as they come.
 */
class CliApi {
  private service: VxlabService | undefined;
  private session: ReturnType<VxlabService['connect']> | undefined;
  private printer: ReturnType<typeof createProgressPrinter>;
  private engine: LabEngine | undefined;
  private readonly listeners = new Set<(event: ApiEvent) => void>();

  constructor(
    io: Io,
    private readonly deps: CliDeps,
    private readonly holder: string,
  ) {
    this.printer = createProgressPrinter((line) => io.err(line + '\n'));
  }

  getEngine(): LabEngine {
    return (this.engine ??= this.deps.engine?.() ?? new LabEngine());
  }

  async request<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
    if (!this.session) {
      this.service = new VxlabService({
        engine: () => this.getEngine(),
        templatesDirectory: templatesDirectory(),
        stateDirectory: this.deps.stateDirectory,
        holder: this.holder,
      });
      this.session = this.service.connect(
        (event) => {
          if (event.type === 'engine') this.printer(event.event);
          for (const listener of this.listeners) listener(event);
        },
        { statusEvents: false },
      );
    }
    const envelope = await this.session.handle(method, params);
    if ('error' in envelope) throw new ApiFailure(envelope.error);
    return envelope.result as Result<M>;
  }

  /** Events of this command's session (a capture's frames); returns what stops listening. */
  onEvent(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.session?.dispose();
  }
}

/** An error as a person reads it on a terminal: code-free sentence, then what to do, escaped. */
function printError(error: ApiError, io: Io): void {
  io.err(`vxlab: ${printable(error.message)}\n${error.hint ? `  ${printable(error.hint)}\n` : ''}`);
}

function need(args: string[], index: number, what: string, verb: string): string {
  const value = args[index];
  if (!value) throw usageError(`vxlab ${verb} needs ${what}. Run \`vxlab --help\` for usage.`);
  return value;
}

async function readLabText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new ApiFailure({
      code: 'lab-invalid',
      message: `Cannot read the lab file ${file}: ${(error as NodeJS.ErrnoException).code ?? error}.`,
      hint: 'Check the path; `vxlab validate FILE` checks a lab file.',
    });
  }
}

/** Each problem as FILE:LINE:COL path: message, then the count; every value from the file escaped. */
function printProblems(file: string, problems: Problem[], io: Io): void {
  for (const problem of problems) io.err(`${printable(formatProblem(problem, file))}\n`);
  io.err(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was changed.\n`);
}

async function validateCommand(api: CliApi, file: string, io: Io): Promise<number> {
  const text = await readLabText(file);
  const { problems } = await api.request('lab.validate', { text });
  if (problems.length > 0) {
    printProblems(file, problems, io);
    return 1;
  }
  const parsed = parseLabText(text);
  if (!parsed.ok) return 1; // the service just said it is valid; cannot happen
  const lab = parsed.lab;
  io.out(
    `${file}: valid lab ${lab.name}: ${lab.hosts.length} hosts, ${lab.overlays.length} overlays, ${lab.containers.length} containers.\n`,
  );
  return 0;
}

/** `up` checks these before it creates anything: nothing to pick up or clean after them. */
const REFUSED_BEFORE_CREATING = new Set(['engine-unreachable', 'subnet-in-use', 'image-missing', 'image-build-failed', 'not-root', 'lab-invalid', 'invalid-params']);

async function upCommand(api: CliApi, file: string, options: { tunnels: boolean }, io: Io): Promise<number> {
  const text = await readLabText(file);
  let result;
  try {
    result = await api.request('lab.up', { text, tunnels: options.tunnels });
  } catch (error) {
    if (error instanceof ApiFailure && error.error.code === 'lab-invalid' && Array.isArray(error.error.details)) {
      printProblems(file, error.error.details as Problem[], io);
      return 1;
    }
    const code = error instanceof ApiFailure ? error.error.code : toApiError(error).code;
    const parsed = parseLabText(text);
    if (!REFUSED_BEFORE_CREATING.has(code) && parsed.ok) {
      const name = parsed.lab.name;
      io.err(`Lab ${name} is not fully up. Fix the cause and run \`vxlab up ${file}\` again (it picks up where it stopped), or remove what was made with \`vxlab down ${name}\`.\n`);
    }
    throw error;
  }
  const parsed = parseLabText(text);
  const lab = parsed.ok ? parsed.lab : undefined;
  const { plan } = result;
  const changes = [
    plan.createHosts.length && `${plan.createHosts.length} host(s) made`,
    plan.removeHosts.length && `${plan.removeHosts.length} host(s) removed`,
    plan.createContainers.length && `${plan.createContainers.length} container(s) started`,
    plan.removeContainers.length && `${plan.removeContainers.length} container(s) removed`,
  ].filter(Boolean);
  io.out(`Lab ${lab?.name} is up (${formatMs(result.ms)}): ${changes.length ? changes.join(', ') : 'nothing to change'}.\n`);
  io.out(`Try: vxlab exec ${lab?.name} ${lab?.containers[0]?.name ?? lab?.hosts[0]?.name} -- ip addr\n`);
  return 0;
}

async function downCommand(api: CliApi, name: string, io: Io): Promise<number> {
  const started = Date.now();
  const removed = await api.request('lab.down', { name });
  const total = removed.containers + removed.networks + removed.volumes;
  io.out(
    total === 0
      ? `Nothing labelled vxlab.lab=${name} was on the engine.\n`
      : `Lab ${name} is down (${formatMs(Date.now() - started)}): removed ${removed.containers} container(s), ${removed.networks} network(s), ${removed.volumes} volume(s).\n`,
  );
  return 0;
}

/** --json output: JSON escapes control characters itself, so it is printed as it is. */
function printJson(value: unknown, io: Io): number {
  io.out(JSON.stringify(value, null, 2) + '\n');
  return 0;
}

async function lsCommand(api: CliApi, json: boolean, io: Io): Promise<number> {
  const labs = await api.request('lab.list', {});
  if (json) return printJson(labs, io);
  if (labs.length === 0) {
    io.out('No labs on this engine. Start one: vxlab up lab-templates/vxlan-basics.yaml\n');
    return 0;
  }
  io.out(table(['NAME', 'HOSTS', 'RUNNING', 'TITLE'], labs.map((l) => [l.name, String(l.hosts), String(l.running), l.title])));
  return 0;
}

async function statusCommand(api: CliApi, name: string, json: boolean, io: Io): Promise<number> {
  const status = await api.request('lab.status', { name });
  if (json) return printJson(status, io);
  io.out(`Lab ${printable(status.name)}${status.title ? ` (${printable(status.title)})` : ''}: ${printable(status.state)}\n`);
  io.out(
    table(
      ['NODE', 'KIND', 'HOST', 'STATE', 'ADDRESSES'],
      status.nodes.map((n) => [n.name, n.kind, n.host ?? '-', n.state, n.addresses.join(' ')]),
    ),
  );
  return 0;
}

/** `exec` attaches the caller's own terminal, so it stays a direct path, but its names pass the contract's rule. */
async function execCommand(api: CliApi, lab: string, node: string, command: string[]): Promise<number> {
  const faults = [
    ['NAME', labNameSchema.safeParse(lab)],
    ['NODE', nodeNameSchema.safeParse(node)],
  ] as const;
  for (const [what, checked] of faults) {
    if (!checked.success) {
      throw new ApiFailure({ code: 'invalid-params', message: `vxlab exec ${what}: ${checked.error.issues[0]?.message ?? 'not a valid name'}.` });
    }
  }
  return runInteractiveExec(api.getEngine(), lab, node, command);
}

/** The walk of one ping; exit 1 when it did not make it there and back. */
async function traceCommand(api: CliApi, lab: string, from: string, dest: string, json: boolean, io: Io): Promise<number> {
  const result = await api.request('lab.trace', { lab, from, dest });
  if (json) printJson(result, io);
  else io.out(renderTrace(result));
  return result.reply.length > 0 ? 0 : 1;
}

async function inspectCommand(api: CliApi, name: string, node: string, json: boolean, io: Io): Promise<number> {
  const view = await api.request('lab.inspect', { name, host: node });
  if (json) return printJson(view, io);
  io.out(renderVtepView(view));
  return 0;
}

async function exportCommand(api: CliApi, name: string, output: string | undefined, io: Io): Promise<number> {
  const { text } = await api.request('lab.export', { name });
  if (output) {
    await writeFile(output, text);
    io.err(`Wrote the lab ${name} as deployed to ${output}.\n`);
  } else io.out(printableLines(text));
  return 0;
}

async function imagesBuildCommand(api: CliApi, force: boolean, io: Io): Promise<number> {
  const engine = api.getEngine();
  await checkEngine(engine.docker);
  const refs = await ensureImages(engine.docker, createProgressPrinter((line) => io.err(line + '\n')), { force });
  io.out(`host image: ${refs.host}\nnode image: ${refs.node}\n`);
  return imageRef('host') === refs.host ? 0 : 1;
}

async function serveCommand(portText: string | undefined, io: Io): Promise<number> {
  const port = portText === undefined ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--port ${printable(portText)} is not a port number (0-65535; 0 picks a free one).`);
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

/** Columns for a terminal; every cell is escaped (it may come from a lab file or a Docker label). */
function table(header: string[], rows: string[][]): string {
  const safeRows = rows.map((row) => row.map((cell) => printable(cell)));
  const widths = header.map((h, i) => Math.max(h.length, ...safeRows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...safeRows.map(line)].join('\n') + '\n';
}

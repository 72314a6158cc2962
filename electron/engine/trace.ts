// `vxlab trace`: one ping from a container, captured at every hop there and back. Each
// host on the path runs one script (trace-path.ts) that starts all its captures; once
// every capture listens, the sender's host pings, the others are told to stop, and the
// pcaps come back in the scripts' output. The hosts' tables are read right after, and
// trace-stitch.ts puts the walk together.
import { PassThrough } from 'node:stream';
import type { TraceResult, VtepView } from '../api/types.js';
import { planWiring } from '../lab/plan.js';
import { EngineError } from './errors.js';
import { openExecSession } from './exec-session.js';
import type { ExecSession } from './exec-session.js';
import type { LabEngine } from './lab-engine.js';
import type { HostTraceOutput, TracePath } from './trace-path.js';
import { parseTraceOutput, PINGED_LINE, READY_LINE, TRACE_SECONDS, tracePath, traceHostScript } from './trace-path.js';
import { stitchTrace } from './trace-stitch.js';
import { readVtepView } from './vtep-view.js';

/** A host's output holds a few pcaps of at most 64 short frames each: far below this. */
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
/** How long the captures may take to listen, and the ping with its reply to come back. */
const READY_TIMEOUT_MS = 10_000;
const PING_TIMEOUT_MS = 8_000;
const COLLECT_TIMEOUT_MS = 15_000;

export async function traceLab(engine: LabEngine, lab: string, from: string, dest: string): Promise<TraceResult> {
  const applied = await engine.appliedLab(lab);
  if (!applied) {
    throw new EngineError('lab-not-found', `No record of a completed \`vxlab up\` of lab ${lab} on this machine.`, 'Bring it up first: vxlab up FILE.');
  }
  const path = tracePath(applied, planWiring(applied), from, dest);
  const { outputs, problems } = await captureAroundPing(engine, lab, path);
  const hosts = [...new Set(path.points.map((p) => p.host))];
  const views = new Map<string, VtepView>();
  await Promise.all(
    hosts.map(async (host) => {
      try {
        views.set(host, await readVtepView(engine, lab, host));
      } catch (error) {
        problems.push(`The tables of ${host} could not be read: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
  return stitchTrace({ path, outputs, views, problems });
}

interface HostRun {
  host: string;
  session: ExecSession;
  stdout: string;
  stderr: string;
  ended: Promise<void>;
  /** Called on every chunk of stdout: waiters look for their line. */
  onOutput: Set<() => void>;
}

/** Runs every host's script: all captures listening, then one ping, then all stopped and read back. */
async function captureAroundPing(engine: LabEngine, lab: string, path: TracePath): Promise<{ outputs: Map<string, HostTraceOutput>; problems: string[] }> {
  const senderHost = path.from.host;
  const hosts = [...new Set(path.points.map((p) => p.host))];
  const port = path.tunnel?.port ?? 4789;
  const runs: HostRun[] = [];
  try {
    for (const host of hosts) {
      const script = traceHostScript(
        path.points.filter((p) => p.host === host),
        {
          vxlanPort: port,
          ping: host === senderHost ? { container: path.from.container, ip: path.dest.ip } : undefined,
          neighbours: [
            ...(host === path.from.host ? [{ container: path.from.container, ip: path.dest.ip }] : []),
            ...(host === path.dest.host ? [{ container: path.dest.container, ip: path.from.ip }] : []),
          ],
        },
      );
      runs.push(await startHostRun(engine, lab, host, script));
    }
    await Promise.all(runs.map((run) => waitFor(run, READY_LINE, READY_TIMEOUT_MS, 'its captures to listen')));
    const sender = runs.find((run) => run.host === senderHost) as HostRun;
    sender.session.stream.write('go\n');
    await waitFor(sender, PINGED_LINE, PING_TIMEOUT_MS, 'the ping');
    for (const run of runs) if (run !== sender) run.session.stream.write('stop\n');
    await Promise.all(
      runs.map((run) =>
        within(run.ended, COLLECT_TIMEOUT_MS, () => new EngineError('step-failed', `${run.host} did not hand back its captures within ${COLLECT_TIMEOUT_MS / 1000} s.`)),
      ),
    );
    const outputs = new Map(runs.map((run) => [run.host, parseTraceOutput(run.stdout)]));
    const problems = runs.flatMap((run) => pingProblems(run));
    return { outputs, problems };
  } finally {
    // Whatever happened, nothing of the trace stays in a host.
    await Promise.all(
      runs.map(async (run) => {
        run.session.stream.end();
        await run.session.hangUp().catch(() => undefined);
        run.session.stream.destroy();
      }),
    );
  }
}

async function startHostRun(engine: LabEngine, lab: string, host: string, script: string): Promise<HostRun> {
  const located = await engine.locateNode(lab, host);
  const session = await openExecSession(engine, lab, host, ['sh', '-c', script], { tty: false, located });
  const run: HostRun = { host, session, stdout: '', stderr: '', ended: Promise.resolve(), onOutput: new Set() };
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (chunk: Buffer) => {
    if (run.stdout.length < MAX_OUTPUT_BYTES) run.stdout += chunk.toString('latin1');
    for (const notify of run.onOutput) notify();
  });
  stderr.on('data', (chunk: Buffer) => {
    if (run.stderr.length < 64 * 1024) run.stderr += chunk.toString('utf8');
  });
  located.host.modem.demuxStream(session.stream, stdout, stderr);
  run.ended = new Promise<void>((resolve) => {
    session.stream.once('end', resolve);
    session.stream.once('close', resolve);
    session.stream.once('error', () => resolve());
  });
  return run;
}

/** Resolves once the script printed `line`; fails, quoting its stderr, if it ends or times out first. */
async function waitFor(run: HostRun, line: string, timeoutMs: number, what: string): Promise<void> {
  const seen = () => run.stdout.split('\n').includes(line);
  if (seen()) return;
  let notify: (() => void) | undefined;
  const printed = new Promise<void>((resolve) => {
    notify = () => {
      if (seen()) resolve();
    };
    run.onOutput.add(notify);
  });
  const failure = (why: string) => {
    const reason = run.stderr.trim().split('\n').slice(-6).join('; ');
    return new EngineError(
      'step-failed',
      `Tracing on host ${run.host} failed while waiting for ${what} (${why})${reason ? `: ${reason}` : '.'}`,
      'The trace needs tcpdump, nsenter and ping in the host image; `vxlab status LAB` shows whether the host runs.',
    );
  };
  try {
    await within(
      Promise.race([printed, run.ended.then(() => (seen() ? undefined : Promise.reject(failure('the script ended'))))]),
      timeoutMs,
      () => failure(`${Math.round(timeoutMs / 1000)} s`),
    );
  } finally {
    if (notify) run.onOutput.delete(notify);
  }
}

async function within(promise: Promise<void>, timeoutMs: number, failure: () => Error): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(failure()), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The sender's ping says on stderr when it got no answer. */
function pingProblems(run: HostRun): string[] {
  const lost = /(\d+) packets transmitted, 0 received/.exec(run.stderr);
  return lost ? [`The ping from ${run.host}'s container got no reply within 2 s.`] : [];
}

/** Limits on traces running at once in a process: each costs a few tcpdumps in hosts. */
export const MAX_TRACES_AT_ONCE = 4;
export { TRACE_SECONDS };

// `npm run bench [-- --json]`: how fast labs come up and go down, what a host costs at
// rest, and what the overlay costs against the underlay, each against its target.
//
// Exit 0 whether or not the targets are met (they are figures to watch, not tests);
// exit 1 when a measurement itself fails. Labs are named `bench-*` and sit on their
// own underlay subnets, so the bench can run next to others' labs on a shared engine.
// stdout carries only the result (a table, or one JSON object); progress goes to stderr.
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkEngine, connectDocker } from '../electron/engine/docker.js';
import { isEngineError } from '../electron/engine/errors.js';
import { ensureImages } from '../electron/engine/images.js';
import { LabEngine } from '../electron/engine/lab-engine.js';
import { LabStore } from '../electron/engine/lab-store.js';
import { LabGuard } from './bench/guard.js';
import type { BenchLab } from './bench/labs.js';
import { BASICS, basicsLab, TEN, tenHostLab } from './bench/labs.js';
import type { BenchReport } from './bench/report.js';
import { checkTargets, renderTable } from './bench/report.js';
import type { BenchContext } from './bench/sections.js';
import { measureEditorFrames } from './bench/editor-frames.js';
import { measureCapture } from './bench/capture.js';
import { emptyCaptureUiFigures, measureCaptureUi } from './bench/capture-ui.js';
import { CAPTURE } from './bench/labs.js';
import { describePaths, IDLE_SETTLE_MS, measureFirstPing, measurePaths, measureTenHosts } from './bench/sections.js';

/** The sections one run can be narrowed to with --only. */
const SECTIONS = ['labs', 'editor', 'capture', 'capture-ui'] as const;
type Section = (typeof SECTIONS)[number];

const USAGE = `usage: npm run bench [-- --json] [-- --rounds N] [-- --seconds S] [-- --only SECTION]
  --json        print one JSON object on stdout instead of the table
  --only S      run one section: labs (first ping, ten hosts, overlay vs underlay)
                or editor (frame times while dragging in a 200-element lab)
                or capture (capture and decode 10,000 packets/s for 10 s)
                or capture-ui (the same in the app's capture panel: frame times, counts, heap)
  --rounds N    iperf3 rounds per path (default 3)
  --seconds S   seconds per iperf3 run, after 1 s left out for slow start (default 4)
`;

const repoRoot = resolve(import.meta.dirname, '..');
const log = (line: string) => process.stderr.write(line + '\n');

interface Options {
  json: boolean;
  rounds: number;
  seconds: number;
  sections: ReadonlySet<Section>;
}

function readOptions(argv: string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      only: { type: 'string' },
    },
  });
  if (values.help) return undefined;
  return {
    json: !!values.json,
    rounds: positiveInteger(values.rounds ?? '3', '--rounds'),
    seconds: positiveInteger(values.seconds ?? '4', '--seconds'),
    sections: new Set(values.only === undefined ? SECTIONS : [section(values.only)]),
  };
}

function section(text: string): Section {
  const found = SECTIONS.find((name) => name === text);
  if (!found) throw new Error(`--only takes one of ${SECTIONS.join(', ')}, not ${JSON.stringify(text)}`);
  return found;
}

function positiveInteger(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${option} needs a whole number of at least 1, not ${text}`);
  return value;
}

function emptyReport(options: Options): BenchReport {
  const paths = describePaths();
  return {
    ok: true,
    startedAt: new Date().toISOString(),
    sections: [...options.sections],
    machine: { cpus: cpus().length, loadAverage1mAtStart: loadavg()[0] ?? 0, dockerVersion: null, kernel: null },
    firstPing: { lab: BASICS.name, target: BASICS.server.overlayIp, upMs: null, firstPingMs: null, pings: null, downMs: null },
    tenHosts: { lab: TEN.name, hosts: TEN.hosts, upMs: null, downMs: null, idleSettleMs: IDLE_SETTLE_MS, idleMemoryMiB: null },
    paths: {
      lab: BASICS.name,
      rounds: options.rounds,
      secondsPerRun: options.seconds,
      overlay: { runsGbps: [], medianGbps: null, rtt: null, measures: paths.overlay },
      underlay: { runsGbps: [], medianGbps: null, rtt: null, measures: paths.underlay },
      throughputRatio: null,
      rttRatio: null,
    },
    capture: {
      lab: CAPTURE.name,
      targetPps: 10_000,
      seconds: 10,
      offeredPackets: null,
      tcpdumpCaptured: null,
      droppedByKernel: null,
      decoded: null,
      vxlanDatagramsDecoded: null,
      lostToDecoder: null,
      capturedPps: null,
      decodeUsPerPacket: null,
      batches: null,
      largestBatch: null,
      rssGrowthMiB: null,
    },
    captureUi: emptyCaptureUiFigures(CAPTURE.name),
    editor: { elements: 0, frames: 0, medianFrameMs: null, p95FrameMs: null, maxFrameMs: null, dragMs: null },
    targets: [],
    errors: [],
  };
}

function describeError(error: unknown): string {
  if (isEngineError(error)) return error.describe();
  return error instanceof Error ? error.message : String(error);
}

/** Runs one step of the bench; its failure is recorded (undefined) and the bench goes on with the next. */
async function attempt<T>(report: BenchReport, section: string, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    report.errors.push({ section, message: describeError(error) });
    log(`bench: ${section} failed: ${describeError(error)}`);
    return undefined;
  }
}

/** Sections 1 and 3 share the two-host lab: first ping from nothing, then the paths; then down. */
async function benchTwoHosts(context: BenchContext, report: BenchReport, bench: BenchLab): Promise<void> {
  log(`bench: up ${bench.lab.name} (underlay ${bench.lab.underlay.subnet}) until the first ping`);
  const pinged = await attempt(report, 'first ping', async () => {
    await measureFirstPing(context, bench, report.firstPing);
    return true;
  });
  if (pinged) await attempt(report, 'overlay vs underlay', () => measurePaths(context, report.paths));
  else report.errors.push({ section: 'overlay vs underlay', message: 'not measured: the lab did not come up' });
  await attempt(report, `${bench.lab.name} down`, async () => {
    const downMs = await context.guard.release(bench.lab.name);
    // Taking down half a lab is clean-up, not a figure worth comparing.
    if (report.firstPing.upMs !== null) report.firstPing.downMs = downMs;
  });
}

async function benchTenHosts(context: BenchContext, report: BenchReport, bench: BenchLab): Promise<void> {
  log(`bench: up ${bench.lab.name}, ${bench.lab.hosts.length} hosts (underlay ${bench.lab.underlay.subnet})`);
  await attempt(report, `${bench.lab.name} up and idle memory`, () => measureTenHosts(context, bench, report.tenHosts));
  await attempt(report, `${bench.lab.name} down`, async () => {
    const downMs = await context.guard.release(bench.lab.name);
    if (report.tenHosts.upMs !== null) report.tenHosts.downMs = downMs;
  });
}

/** A capture section (engine or app) on the capture lab of its own; taken down whatever happens. */
async function benchOnCaptureLab(
  context: BenchContext,
  report: BenchReport,
  section: 'capture' | 'capture-ui',
  measure: (bench: BenchLab) => Promise<void>,
): Promise<void> {
  const bench = await basicsLab(repoRoot, CAPTURE);
  const ready = await attempt(report, `${section} preparation`, async () => {
    const info = await checkEngine(context.engine.docker);
    report.machine.dockerVersion = info.version;
    report.machine.kernel = info.kernel;
    await ensureImages(context.engine.docker, () => {});
    await context.guard.clearLeftovers([bench.lab.name]);
    return true;
  });
  if (!ready) return;
  log(`bench: up ${bench.lab.name} (underlay ${bench.lab.underlay.subnet}) for ${section}`);
  await attempt(report, section, () => measure(bench));
  await attempt(report, `${bench.lab.name} down`, async () => {
    await context.guard.release(bench.lab.name);
  });
}

/** Labs, engine, images and leftovers, all before any clock starts. */
async function prepare(context: BenchContext, report: BenchReport): Promise<{ twoHosts: BenchLab; tenHosts: BenchLab }> {
  const labs = { twoHosts: await basicsLab(repoRoot), tenHosts: tenHostLab() };
  const info = await checkEngine(context.engine.docker);
  report.machine.dockerVersion = info.version;
  report.machine.kernel = info.kernel;
  log('bench: making sure the host and node images are built');
  await ensureImages(context.engine.docker, (event) => {
    if (event.type === 'step-started' || event.type === 'step-failed') log(`images: ${event.type} ${event.node ?? ''}`);
  });
  await context.guard.clearLeftovers([labs.twoHosts.lab.name, labs.tenHosts.lab.name]);
  return labs;
}

async function runBench(options: Options): Promise<BenchReport> {
  const report = emptyReport(options);
  // The bench's applied lab files go to a directory of its own, not the person's state.
  const stateDirectory = await mkdtemp(join(tmpdir(), 'vxlab-bench-state-'));
  const engine = new LabEngine(connectDocker(), new LabStore(stateDirectory));
  const removeState = () => rm(stateDirectory, { recursive: true, force: true });
  const guard = new LabGuard(engine, log);
  guard.installSignalHandlers(removeState);
  const context: BenchContext = { engine, guard, log };
  const labNames = [BASICS.name, TEN.name, CAPTURE.name];
  try {
    if (options.sections.has('labs')) {
      const labs = await attempt(report, 'preparation', () => prepare(context, report));
      if (labs) {
        await benchTwoHosts(context, report, labs.twoHosts);
        await benchTenHosts(context, report, labs.tenHosts);
      }
    }
    if (options.sections.has('editor')) await attempt(report, 'editor frames', () => measureEditorFrames(log, report.editor));
    if (options.sections.has('capture')) await benchOnCaptureLab(context, report, 'capture', (bench) => measureCapture(context, bench, report.capture));
    if (options.sections.has('capture-ui')) await benchOnCaptureLab(context, report, 'capture-ui', (bench) => measureCaptureUi(context, bench, report.captureUi));
  } finally {
    await attempt(report, 'final clean-up', async () => {
      await guard.releaseAll();
      await guard.clearLeftovers(labNames);
    });
    await removeState();
  }
  report.targets = checkTargets(report);
  report.ok = report.errors.length === 0;
  return report;
}

async function main(): Promise<number> {
  let options: Options | undefined;
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${describeError(error)}\n${USAGE}`);
    return 2;
  }
  if (!options) {
    process.stdout.write(USAGE);
    return 0;
  }
  const report = await runBench(options);
  process.stdout.write(options.json ? JSON.stringify(report, null, 2) + '\n' : renderTable(report));
  return report.ok ? 0 : 1;
}

process.exitCode = await main();

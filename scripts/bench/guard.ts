// Keeps track of the labs the bench brought up and takes every one of them down: at
// the end of its section, on an error, and on Ctrl-C. Others share this engine, so
// nothing labelled with a bench lab may outlive the bench.
import type { LabEngine } from '../../electron/engine/lab-engine.js';
import { labFilter } from '../../electron/engine/labels.js';
import { elapsedMs } from './numbers.js';

/**
 * A failed `up` returns while its other hosts are still being made, and a second `down`
 * may meet the first one's removals (409 "already in progress"): `down` is repeated
 * until nothing of the lab is left, at most this many times.
 */
const DOWN_ATTEMPTS = 5;
const DOWN_RETRY_MS = 1000;

export class LabGuard {
  private readonly labs = new Set<string>();
  private interrupted = false;

  constructor(
    private readonly engine: LabEngine,
    private readonly log: (line: string) => void,
  ) {}

  /** Call before `up`: an `up` that fails halfway leaves objects behind as well. */
  track(lab: string): void {
    // After Ctrl-C the clean-up owns the engine: a new lab now could outlive the bench.
    if (this.interrupted) throw new Error(`interrupted: lab ${lab} not started`);
    this.labs.add(lab);
  }

  /**
   * Takes a lab down until nothing labelled with it is left. Returns how long the
   * first successful `down` took: what someone running `vxlab down` waits for.
   */
  async release(lab: string): Promise<number> {
    const started = performance.now();
    let downMs: number | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.engine.down(lab);
        downMs ??= elapsedMs(started);
      } catch (error) {
        if (attempt >= DOWN_ATTEMPTS) throw error;
      }
      const left = await this.countLeft(lab);
      if (downMs !== undefined && left === 0) break;
      if (attempt >= DOWN_ATTEMPTS) throw new Error(`${left} object(s) of lab ${lab} are left after ${attempt} downs`);
      await sleep(DOWN_RETRY_MS);
    }
    this.labs.delete(lab);
    return downMs;
  }

  private async countLeft(lab: string): Promise<number> {
    const filters = labFilter(lab);
    const [containers, networks, volumes] = await Promise.all([
      this.engine.docker.listContainers({ all: true, filters }),
      this.engine.docker.listNetworks({ filters }),
      this.engine.docker.listVolumes({ filters }),
    ]);
    return containers.length + networks.length + (volumes.Volumes?.length ?? 0);
  }

  /**
   * Removes whatever is left of these labs: before the bench, what an interrupted run
   * left; after it, what a failed `up` still made after its `down`.
   */
  async clearLeftovers(labs: string[]): Promise<void> {
    for (const lab of labs) {
      if ((await this.countLeft(lab)) === 0) continue;
      this.log(`bench: removing what is left of lab ${lab}`);
      this.track(lab);
      await this.release(lab);
    }
  }

  /** Takes down whatever is still tracked; failures are reported, and the first is rethrown at the end. */
  async releaseAll(): Promise<void> {
    let first: unknown;
    for (const lab of [...this.labs]) {
      try {
        await this.release(lab);
      } catch (error) {
        this.log(`bench: could not take lab ${lab} down: ${error instanceof Error ? error.message : String(error)}`);
        first ??= error;
      }
    }
    if (first !== undefined) throw first;
  }

  /** On Ctrl-C or SIGTERM: take the labs down, run `finish`, and leave. */
  installSignalHandlers(finish: () => Promise<void>): void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.interrupted) return; // a second Ctrl-C while cleaning up: keep cleaning
      this.interrupted = true;
      this.log(`bench: ${signal}, taking down ${[...this.labs].join(', ') || 'nothing'}`);
      void this.releaseAll()
        .catch(() => {})
        .then(finish)
        .finally(() => process.exit(130));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

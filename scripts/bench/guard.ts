// Keeps track of the labs the bench brought up and takes every one of them down: at
// the end of its section, on an error, and on Ctrl-C. Others share this engine, so
// nothing labelled with a bench lab may outlive the bench.
import type { LabEngine } from '../../electron/engine/lab-engine.js';
import { LABEL_LAB } from '../../electron/engine/labels.js';

export class LabGuard {
  private readonly labs = new Set<string>();
  private interrupted = false;

  constructor(
    private readonly engine: LabEngine,
    private readonly log: (line: string) => void,
  ) {}

  /** Call before `up`: an `up` that fails halfway leaves objects behind as well. */
  track(lab: string): void {
    this.labs.add(lab);
  }

  /** Takes a lab down and says how long that took. */
  async release(lab: string): Promise<number> {
    const started = performance.now();
    await this.engine.down(lab);
    this.labs.delete(lab);
    return performance.now() - started;
  }

  /** Removes what an earlier, interrupted bench left of these labs, so `up` starts from nothing. */
  async clearLeftovers(labs: string[]): Promise<void> {
    for (const lab of labs) {
      const found = await this.engine.docker.listContainers({ all: true, filters: { label: [`${LABEL_LAB}=${lab}`] } });
      const networks = await this.engine.docker.listNetworks({ filters: { label: [`${LABEL_LAB}=${lab}`] } });
      if (found.length === 0 && networks.length === 0) continue;
      this.log(`bench: removing lab ${lab}, left by an earlier bench run`);
      await this.engine.down(lab);
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

  /** On Ctrl-C or SIGTERM: take the labs down before leaving. */
  installSignalHandlers(): void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.interrupted) return; // a second Ctrl-C while cleaning up: keep cleaning
      this.interrupted = true;
      this.log(`bench: ${signal}, taking down ${[...this.labs].join(', ') || 'nothing'}`);
      void this.releaseAfterInterrupt().finally(() => process.exit(130));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  /**
   * An `up` still in flight may create a host just after the first `down`; the second
   * pass, a moment later, catches it.
   */
  private async releaseAfterInterrupt(): Promise<void> {
    const labs = [...this.labs];
    await this.releaseAll().catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const lab of labs) await this.engine.down(lab).catch(() => {});
  }
}

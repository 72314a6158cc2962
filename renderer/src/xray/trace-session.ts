// One packet walk: `lab.trace` from a node to a destination, and the step the person is
// on. The request's hops come first, then the reply's, as one sequence to step through.
import type { ApiError } from '../../../electron/api/contract';
import { toApiError } from '../api/errors';
import type { TraceHop, TraceResult, XrayApi } from './api';
import { Observable } from './observable';

export interface TraceStep {
  direction: 'request' | 'reply';
  hop: TraceHop;
}

export interface TraceSnapshot {
  state: 'idle' | 'running' | 'done' | 'failed';
  dest: string;
  result?: TraceResult;
  steps: readonly TraceStep[];
  /** Index into `steps` of the step shown. */
  current: number;
  error?: ApiError;
}

/** Most hops shown: a walk has eight or so each way; a longer answer is cut, not trusted. */
const MAX_STEPS = 200;

export class TraceSession extends Observable<TraceSnapshot> {
  private run = 0;

  constructor(
    private readonly api: XrayApi,
    readonly lab: string,
    readonly from: string,
    /** The lab's VXLAN ports: the hops' frames are decoded with them. */
    readonly ports: readonly number[] = [],
  ) {
    super({ state: 'idle', dest: '', steps: [], current: 0 });
  }

  async trace(dest: string): Promise<void> {
    const run = ++this.run;
    this.set({ state: 'running', dest, steps: [], current: 0, result: undefined, error: undefined });
    try {
      const result = await this.api.trace({ lab: this.lab, from: this.from, dest });
      if (run !== this.run) return;
      const steps = [
        ...(Array.isArray(result.request) ? result.request : []).map((hop): TraceStep => ({ direction: 'request', hop })),
        ...(Array.isArray(result.reply) ? result.reply : []).map((hop): TraceStep => ({ direction: 'reply', hop })),
      ].slice(0, MAX_STEPS);
      this.set({ state: 'done', result, steps, current: 0 });
    } catch (error) {
      if (run === this.run) this.set({ state: 'failed', error: toApiError(error) });
    }
  }

  go(index: number): void {
    const { steps, current } = this.state;
    const next = Math.max(0, Math.min(steps.length - 1, index));
    if (next !== current && steps.length > 0) this.set({ current: next });
  }

  forward(): void {
    this.go(this.state.current + 1);
  }

  back(): void {
    this.go(this.state.current - 1);
  }

  currentStep(): TraceStep | undefined {
    return this.state.steps[this.state.current];
  }

  dispose(): void {
    this.run++;
    this.clearListeners();
  }
}

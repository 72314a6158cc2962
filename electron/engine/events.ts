// Progress of engine work as typed events. The CLI prints them now; the desktop app
// renders the same stream. A step is named once and reports per node.

import type { EngineEvent, StepName } from '../api/types.js';

export type { EngineEvent, StepName };

export type EmitEvent = (event: EngineEvent) => void;

export const ignoreEvents: EmitEvent = () => {};

/** Runs one step, reporting its start, its end with the time it took, or its failure. */
export async function runStep<T>(
  emit: EmitEvent,
  step: StepName,
  node: string | undefined,
  work: () => Promise<T>,
  detail?: string,
): Promise<T> {
  const started = Date.now();
  emit({ type: 'step-started', step, node, detail });
  try {
    const result = await work();
    emit({ type: 'step-finished', step, node, ms: Date.now() - started });
    return result;
  } catch (error) {
    emit({ type: 'step-failed', step, node, error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

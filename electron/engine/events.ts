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
  /** The hosts and containers the step creates, changes or removes, when it touches any. */
  nodes?: string[],
): Promise<T> {
  const started = Date.now();
  const affected = nodes === undefined ? {} : { nodes };
  emit({ type: 'step-started', step, node, ...affected, detail });
  try {
    const result = await work();
    emit({ type: 'step-finished', step, node, ...affected, ms: Date.now() - started });
    return result;
  } catch (error) {
    emit({ type: 'step-failed', step, node, ...affected, error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

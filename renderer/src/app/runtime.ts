// What the canvas shows of a launched lab: each node's state, from two sources. The
// engine's events say what a running `up` or `down` is doing right now; `lab.status`
// says what runs. Events win while an operation runs; failures stay until the next one.
import type { Result } from '../../../electron/api/contract';
import type { NodeRuntime, RuntimeState } from '../editor';
import type { EngineEvent } from './progress';
import { STEP_LABELS } from './progress';

export type LabStatus = Result<'lab.status'>;

/** Containers by the host they run on, so that a host's "containers" step reaches them. */
export type ContainersByHost = ReadonlyMap<string, readonly string[]>;

export function runtimeFromStatus(status: LabStatus | undefined): RuntimeState {
  const runtime: RuntimeState = {};
  for (const node of status?.nodes ?? []) runtime[node.name] = fromDockerState(node.state);
  return runtime;
}

function fromDockerState(state: string): NodeRuntime {
  if (state === 'running') return { state: 'running' };
  if (state === 'created' || state === 'restarting') return { state: 'creating', detail: state };
  if (state === 'dead') return { state: 'failed', detail: 'The container is dead.' };
  return { state: 'stopped', detail: state || 'not running' };
}

/**
 * The overrides after one engine event. A step runs on a host (`node`). The engine names
 * the nodes a step changes (`nodes`): for the "containers" step, those the launched lab
 * puts on the host are starting and the others are being removed. An event that names
 * none touches every container the launched lab puts on the host.
 */
export function applyRuntimeEvent(overrides: RuntimeState, event: EngineEvent, containersByHost: ContainersByHost): RuntimeState {
  if (event.type === 'log' || !event.node) return overrides;
  const node = event.node;
  const named = event.nodes?.filter((name) => name !== node);
  const launchedHere = containersByHost.get(node) ?? [];
  const inContainerStep = event.step === 'container';
  const containers = inContainerStep ? (named?.filter((name) => launchedHere.includes(name)) ?? launchedHere) : [];
  const leaving = inContainerStep ? (named?.filter((name) => !launchedHere.includes(name)) ?? []) : [];
  const removed = event.step === 'remove' ? [node, ...(named ?? [])] : leaving;
  const next = { ...overrides };
  const set = (names: readonly string[], runtime: NodeRuntime | undefined) => {
    for (const name of names) {
      if (runtime) next[name] = runtime;
      else delete next[name];
    }
  };
  switch (event.type) {
    case 'step-started':
    case 'step-progress':
      if (event.step !== 'remove') {
        set([node], { state: 'creating', detail: event.detail ?? STEP_LABELS[event.step].toLowerCase() });
        set(containers, { state: 'creating', detail: 'starting' });
      }
      set(removed, { state: 'stopped', detail: 'removing' });
      break;
    case 'step-finished':
      if (event.step === 'container') set([node, ...containers], { state: 'running' });
      set(removed, { state: 'stopped', detail: 'removed' });
      break;
    case 'step-failed':
      set([node, ...containers, ...leaving], { state: 'failed', detail: event.error });
      break;
  }
  return next;
}

/** After an operation: what it left running or stopped is for `lab.status` to say now; failures stay. */
export function keepFailures(overrides: RuntimeState): RuntimeState {
  return Object.fromEntries(Object.entries(overrides).filter(([, runtime]) => runtime.state === 'failed'));
}

export function mergeRuntime(status: LabStatus | undefined, overrides: RuntimeState): RuntimeState {
  return { ...runtimeFromStatus(status), ...overrides };
}

export function isLabUp(status: LabStatus | undefined): boolean {
  return status?.state === 'running' || status?.state === 'degraded';
}

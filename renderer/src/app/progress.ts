// The Progress view's model: one row per step a node went through, built from the
// engine events of one lab. The CLI prints the same events as lines.
import type { ApiEvent } from '../../../electron/api/contract';

/** The engine's progress events, as the contract carries them. */
export type EngineEvent = Extract<ApiEvent, { type: 'engine' }>['event'];
export type StepName = Extract<EngineEvent, { step: unknown }>['step'];

export type RowState = 'running' | 'done' | 'failed';

export interface ProgressRow {
  key: number;
  step: StepName;
  node?: string;
  detail?: string;
  fraction?: number;
  state: RowState;
  startedAt: number;
  ms?: number;
  error?: string;
}

export interface LogLine {
  key: number;
  level: 'info' | 'warn';
  message: string;
}

export type Operation = 'up' | 'down';

export interface Progress {
  operation?: Operation;
  /** An `up` of a lab that already ran: Apply. */
  applying?: boolean;
  startedAt?: number;
  rows: ProgressRow[];
  logs: LogLine[];
  /** Set when the request answered: how long it took, or why it failed. */
  outcome?: { ok: true; ms: number } | { ok: false; message: string };
  nextKey: number;
}

export const emptyProgress: Progress = { rows: [], logs: [], nextKey: 1 };

export function startOperation(operation: Operation, now = Date.now(), applying = false): Progress {
  return { operation, applying, startedAt: now, rows: [], logs: [], nextKey: 1 };
}

export function finishOperation(progress: Progress, outcome: NonNullable<Progress['outcome']>): Progress {
  // A step still running when the request failed did not finish: show it as failed.
  const rows = outcome.ok ? progress.rows : progress.rows.map((row) => (row.state === 'running' ? { ...row, state: 'failed' as const } : row));
  return { ...progress, rows, outcome };
}

/** The newest row of this step and node that is still running. */
function findRunning(rows: ProgressRow[], step: StepName, node: string | undefined): number {
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i]!;
    if (row.step === step && row.node === node && row.state === 'running') return i;
  }
  return -1;
}

export function applyEngineEvent(progress: Progress, event: EngineEvent, now = Date.now()): Progress {
  switch (event.type) {
    case 'step-started': {
      const row: ProgressRow = { key: progress.nextKey, step: event.step, node: event.node, detail: event.detail, state: 'running', startedAt: now };
      return { ...progress, rows: [...progress.rows, row], nextKey: progress.nextKey + 1 };
    }
    case 'step-progress':
    case 'step-finished':
    case 'step-failed': {
      const rows = [...progress.rows];
      let index = findRunning(rows, event.step, event.node);
      if (index < 0) {
        // Started before this view listened (another window launched it): show it anyway.
        rows.push({ key: progress.nextKey, step: event.step, node: event.node, state: 'running', startedAt: now });
        index = rows.length - 1;
        progress = { ...progress, nextKey: progress.nextKey + 1 };
      }
      const row = rows[index]!;
      if (event.type === 'step-progress') rows[index] = { ...row, detail: event.detail, fraction: event.fraction };
      else if (event.type === 'step-finished') rows[index] = { ...row, state: 'done', ms: event.ms, detail: event.detail ?? row.detail, fraction: undefined };
      else rows[index] = { ...row, state: 'failed', error: event.error, ms: now - row.startedAt, fraction: undefined };
      return { ...progress, rows };
    }
    case 'log':
      return {
        ...progress,
        logs: [...progress.logs, { key: progress.nextKey, level: event.level, message: event.message }],
        nextKey: progress.nextKey + 1,
      };
  }
}

export const STEP_LABELS: Record<StepName, string> = {
  'check-engine': 'Check engine',
  'build-image': 'Build image',
  underlay: 'Underlay network',
  host: 'Host',
  'load-image': 'Load image',
  overlay: 'Overlays',
  container: 'Containers',
  remove: 'Remove',
  converge: 'Converge',
};

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

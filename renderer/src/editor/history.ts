// Undo history: a list of documents and a cursor. Consecutive edits with the same
// coalesce key (typing in one field) make one entry, so one undo takes them all back.

export interface HistoryEntry<T> {
  value: T;
  /** Edits with this key replace the entry instead of adding one. */
  coalesce?: string;
}

export interface History<T> {
  entries: readonly HistoryEntry<T>[];
  index: number;
}

export const HISTORY_LIMIT = 300;

export function startHistory<T>(value: T): History<T> {
  return { entries: [{ value }], index: 0 };
}

export function current<T>(history: History<T>): HistoryEntry<T> {
  const entry = history.entries[history.index];
  if (entry === undefined) throw new Error('history cursor out of range');
  return entry;
}

/**
 * Adds `value` after the cursor (dropping any redo entries). With the same coalesce key
 * as the entry under the cursor it replaces that entry, unless that entry's value must
 * stay reachable (`keep`: the saved state).
 */
export function record<T>(history: History<T>, value: T, coalesce: string | undefined, keep?: T): History<T> {
  const top = current(history);
  const atEnd = history.index === history.entries.length - 1;
  if (coalesce !== undefined && atEnd && history.index > 0 && top.coalesce === coalesce && top.value !== keep) {
    return { entries: [...history.entries.slice(0, history.index), { value, coalesce }], index: history.index };
  }
  const kept = history.entries.slice(0, history.index + 1);
  const entries = [...kept, { value, ...(coalesce === undefined ? {} : { coalesce }) }];
  const overflow = Math.max(0, entries.length - HISTORY_LIMIT);
  return { entries: entries.slice(overflow), index: entries.length - 1 - overflow };
}

/** Ends coalescing: the next edit gets an entry of its own even with the same key. */
export function seal<T>(history: History<T>): History<T> {
  const top = current(history);
  if (top.coalesce === undefined) return history;
  const entries = [...history.entries];
  entries[history.index] = { value: top.value };
  return { entries, index: history.index };
}

export function canUndo<T>(history: History<T>): boolean {
  return history.index > 0;
}

export function canRedo<T>(history: History<T>): boolean {
  return history.index < history.entries.length - 1;
}

export function undo<T>(history: History<T>): History<T> {
  return canUndo(history) ? { ...history, index: history.index - 1 } : history;
}

export function redo<T>(history: History<T>): History<T> {
  return canRedo(history) ? { ...history, index: history.index + 1 } : history;
}

// The lab of the open document on the engine: its status (asked once when the open lab
// changes, then pushed by the server's 'lab-status' events), the progress of Launch/Apply
// and Destroy from the engine's events, and the runtime state the canvas shows.
// One document, one lab: the lab is the one the file names.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient, ApiError } from '../../../electron/api/contract';
import { parseLabText } from '../../../electron/lab/parse';
import { isErrorCode, toApiError } from '../api/errors';
import type { RuntimeState } from '../editor';
import type { Operation, Progress } from './progress';
import { applyEngineEvent, emptyProgress, finishOperation, startOperation } from './progress';
import type { ContainersByHost, LabStatus } from './runtime';
import { applyRuntimeEvent, isLabUp, keepFailures, mergeRuntime } from './runtime';

/** The name in the file changes as it is typed: ask about it once typing pauses. */
const NAME_SETTLE_MS = 300;

export interface LabSession {
  /** What runs of this lab; undefined until known. */
  status?: LabStatus;
  /** The engine has something of this lab (running or not): Destroy has work to do. */
  exists: boolean;
  isUp: boolean;
  busy?: Operation;
  /** The running `up` converges a lab that was already up (Apply), rather than launching it. */
  applying: boolean;
  progress: Progress;
  runtime: RuntimeState;
  /** Why the last Launch, Apply or Destroy failed. */
  error?: ApiError;
  dismissError(): void;
  launch(text: string): Promise<boolean>;
  destroy(): Promise<boolean>;
  refresh(): Promise<void>;
}

export function useLabSession(client: ApiClient, labName: string): LabSession {
  const [status, setStatus] = useState<LabStatus | undefined>();
  const [exists, setExists] = useState(false);
  const [busy, setBusy] = useState<Operation | undefined>();
  const [applying, setApplying] = useState(false);
  const [progress, setProgress] = useState<Progress>(emptyProgress);
  const [overrides, setOverrides] = useState<RuntimeState>({});
  const [error, setError] = useState<ApiError | undefined>();
  const labRef = useRef(labName);
  labRef.current = labName;
  /** The lab an operation works on, even if the file's name is edited meanwhile. */
  const operationLab = useRef<string | undefined>(undefined);
  /** Containers by host of the lab being launched, read once from its text at Launch. */
  const launchedContainers = useRef<ContainersByHost>(new Map());
  /** Counts status news; an answer to a request older than the latest push is stale. */
  const statusNews = useRef(0);

  const showStatus = useCallback((name: string, answer: LabStatus | null) => {
    setStatus(answer ?? { name, title: '', state: 'stopped', nodes: [] });
    setExists(answer !== null);
  }, []);

  const refresh = useCallback(async () => {
    const name = labRef.current;
    if (!name) {
      setStatus(undefined);
      setExists(false);
      return;
    }
    const asked = ++statusNews.current;
    try {
      const answer = await client.request('lab.status', { name });
      if (labRef.current === name && asked === statusNews.current) showStatus(name, answer);
    } catch (failure) {
      if (labRef.current !== name || asked !== statusNews.current) return;
      if (isErrorCode(failure, 'lab-not-found')) showStatus(name, null);
      // Other failures (no engine) leave the last answer; the status bar tells about the engine.
    }
  }, [client, showStatus]);

  // A new document or a renamed lab: forget the old lab's state, then ask.
  useEffect(() => {
    setStatus(undefined);
    setExists(false);
    if (!operationLab.current) {
      setOverrides({});
      setProgress(emptyProgress);
      setError(undefined);
    }
    const timer = setTimeout(() => void refresh(), NAME_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [labName, refresh]);

  useEffect(
    () =>
      client.onEvent((event) => {
        if (event.type === 'lab-status' && event.lab === labRef.current) {
          statusNews.current++;
          showStatus(event.lab, event.status);
          return;
        }
        if (event.type === 'lab-changed' && event.lab === labRef.current) void refresh();
        if (event.type !== 'engine' || event.lab !== (operationLab.current ?? labRef.current)) return;
        const now = Date.now();
        setProgress((current) => applyEngineEvent(current, event.event, now));
        const engineEvent = event.event;
        if (engineEvent.type !== 'log' && engineEvent.node) {
          setOverrides((current) => applyRuntimeEvent(current, engineEvent, launchedContainers.current));
        }
      }),
    [client, refresh, showStatus],
  );

  const up = isLabUp(status);
  const upRef = useRef(false);
  upRef.current = up;

  const run = useCallback(
    async (operation: Operation, work: () => Promise<{ ms: number }>): Promise<boolean> => {
      operationLab.current = labRef.current;
      const started = Date.now();
      const applyingNow = operation === 'up' && upRef.current;
      setApplying(applyingNow);
      setBusy(operation);
      setError(undefined);
      setOverrides({});
      setProgress(startOperation(operation, started, applyingNow));
      let ok = false;
      try {
        const { ms } = await work();
        setProgress((current) => finishOperation(current, { ok: true, ms }));
        ok = true;
      } catch (failure) {
        const apiError = toApiError(failure);
        setError(apiError);
        setProgress((current) => finishOperation(current, { ok: false, message: apiError.message }));
      }
      await refresh();
      operationLab.current = undefined;
      setOverrides(keepFailures);
      setBusy(undefined);
      return ok;
    },
    [refresh],
  );

  const launch = useCallback(
    (text: string) => {
      launchedContainers.current = containersByHost(text);
      return run('up', async () => client.request('lab.up', { text }));
    },
    [client, run],
  );

  const destroy = useCallback(
    () =>
      run('down', async () => {
        const started = Date.now();
        await client.request('lab.down', { name: labRef.current });
        return { ms: Date.now() - started };
      }),
    [client, run],
  );

  const runtime = useMemo(() => mergeRuntime(status, overrides), [status, overrides]);

  return {
    status,
    exists,
    isUp: up,
    busy,
    applying,
    progress,
    runtime,
    error,
    dismissError: () => setError(undefined),
    launch,
    destroy,
    refresh,
  };
}

function containersByHost(text: string): ContainersByHost {
  const parsed = parseLabText(text);
  const map = new Map<string, string[]>();
  if (!parsed.ok) return map;
  for (const container of parsed.lab.containers) map.set(container.host, [...(map.get(container.host) ?? []), container.name]);
  return map;
}

// Whether a Docker engine answers, and which: asked at start, then every few seconds.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient, ApiError, EngineStatus } from '../../../electron/api/contract';
import { toApiError } from '../api/errors';

export const ENGINE_POLL_MS = 5_000;

export interface EngineState {
  /** Undefined until the first answer. */
  status?: EngineStatus;
  /** No engine answers (from engine.info), or the vxlab server itself does not. */
  problem?: ApiError;
  checking: boolean;
  retry(): void;
}

export function useEngineStatus(client: ApiClient, pollMs = ENGINE_POLL_MS): EngineState {
  const [status, setStatus] = useState<EngineStatus | undefined>();
  const [problem, setProblem] = useState<ApiError | undefined>();
  const [checking, setChecking] = useState(true);
  const generation = useRef(0);

  const check = useCallback(async () => {
    const mine = ++generation.current;
    setChecking(true);
    try {
      const answer = await client.request('engine.info', {});
      if (mine !== generation.current) return;
      setStatus(answer);
      setProblem(answer.error);
    } catch (error) {
      if (mine !== generation.current) return;
      setStatus(undefined);
      setProblem(toApiError(error));
    } finally {
      if (mine === generation.current) setChecking(false);
    }
  }, [client]);

  useEffect(() => {
    void check();
    const timer = setInterval(() => void check(), pollMs);
    return () => {
      clearInterval(timer);
      generation.current++;
    };
  }, [check, pollMs]);

  return { status, problem, checking, retry: () => void check() };
}

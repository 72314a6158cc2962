// What the shell tells the person besides the lab's own state: an error notice that
// stays until dismissed (what failed, why, what to do), and a short message that fades.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiError } from '../../../electron/api/contract';
import { toApiError } from '../api/errors';

export const MESSAGE_MS = 5_000;

export interface Notice {
  title: string;
  error: ApiError;
}

export interface Notices {
  notice?: Notice;
  message?: string;
  /** Shows `error` (anything thrown) under `title`. */
  fail(title: string, error: unknown): void;
  warn(notice: Notice): void;
  dismiss(): void;
  /** A message in the status bar for a few seconds ("Saved to …"). */
  say(message: string): void;
}

export function useNotices(messageMs = MESSAGE_MS): Notices {
  const [notice, setNotice] = useState<Notice | undefined>();
  const [message, setMessage] = useState<string | undefined>();

  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => setMessage(undefined), messageMs);
    return () => clearTimeout(timer);
  }, [message, messageMs]);

  const fail = useCallback((title: string, error: unknown) => setNotice({ title, error: toApiError(error) }), []);
  const dismiss = useCallback(() => setNotice(undefined), []);
  return useMemo(() => ({ notice, message, fail, warn: setNotice, dismiss, say: setMessage }), [notice, message, fail, dismiss]);
}

// What the start screen offers: the templates (read from the server, again once it
// answers) and the recent labs kept in this browser's storage.
import { useCallback, useEffect, useState } from 'react';
import type { ApiClient, ApiError, TemplateInfo } from '../../../electron/api/contract';
import { toApiError } from '../api/errors';
import { freshLabName } from './new-lab';
import type { RecentLab } from './recent';
import { addRecent, loadRecent, removeRecent } from './recent';

export interface GalleryState {
  templates?: TemplateInfo[];
  templatesError?: ApiError;
  recent: RecentLab[];
  /** Puts a lab first in Recent. */
  remember(text: string): void;
  forget(name: string): void;
  /** A name for "New lab" that no recent lab has. */
  freshName(): string;
}

/** `serverAnswers` turns true once the server answers: templates need the server, not the engine. */
export function useGallery(client: ApiClient, storage: Storage | undefined, serverAnswers: boolean): GalleryState {
  const [templates, setTemplates] = useState<TemplateInfo[] | undefined>();
  const [templatesError, setTemplatesError] = useState<ApiError | undefined>();
  const [recent, setRecent] = useState<RecentLab[]>(() => loadRecent(storage));

  useEffect(() => {
    if (templates) return;
    let live = true;
    client.request('templates.list', {}).then(
      (list) => {
        if (!live) return;
        setTemplates(list);
        setTemplatesError(undefined);
      },
      (error: unknown) => live && setTemplatesError(toApiError(error)),
    );
    return () => {
      live = false;
    };
  }, [client, templates, serverAnswers]);

  const remember = useCallback((text: string) => setRecent(addRecent(storage, text)), [storage]);
  const forget = useCallback((name: string) => setRecent(removeRecent(storage, name)), [storage]);
  const freshName = () => freshLabName(recent.map((entry) => entry.name));
  return { templates, templatesError, recent, remember, forget, freshName };
}

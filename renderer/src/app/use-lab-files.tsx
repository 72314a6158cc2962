// Lab files in and out: Open (a native dialog, or in a browser tab a file picker),
// Save, and Export of the running lab as deployed.
import { useCallback, useRef } from 'react';
import type { ChangeEvent, ReactNode } from 'react';
import type { ApiClient } from '../../../electron/api/contract';
import type { EditorStore } from '../editor';
import { labFileName, saveLabText } from './files';

export interface LabFilesOptions {
  client: ApiClient;
  store: EditorStore;
  /** Opens the text read from a file in the editor. */
  open(text: string): Promise<void>;
  /** Saved text goes to Recent. */
  remember(text: string): void;
  fail(title: string, error: unknown): void;
  say(message: string): void;
}

export interface LabFiles {
  openFile(): Promise<void>;
  save(): Promise<void>;
  exportLab(name: string): Promise<void>;
  /** The browser's hidden file picker, for Open in a tab. */
  picker: ReactNode;
}

export function useLabFiles({ client, store, open, remember, fail, say }: LabFilesOptions): LabFiles {
  const input = useRef<HTMLInputElement>(null);
  const desktop = client.mode === 'desktop';

  const openFile = useCallback(async () => {
    if (!desktop) {
      input.current?.click();
      return;
    }
    try {
      const opened = await client.request('file.open', {});
      if (opened) await open(opened.text);
    } catch (error) {
      fail('The file could not be opened', error);
    }
  }, [client, desktop, fail, open]);

  const onFileChosen = async (event: ChangeEvent<HTMLInputElement>) => {
    const chooser = event.currentTarget;
    const file = chooser.files?.[0];
    if (!file) return;
    try {
      await open(await file.text());
    } catch (error) {
      fail(`${file.name} could not be read`, error);
    } finally {
      chooser.value = ''; // choosing the same file again must open it again
    }
  };

  const save = useCallback(async () => {
    const current = store.getSnapshot();
    try {
      const where = await saveLabText(client, current.text, labFileName(current.labName));
      if (!where) return;
      // Only what was written counts as saved: edits made while the dialog was open stay unsaved.
      if (store.getSnapshot().text === current.text) store.markSaved();
      remember(current.text);
      say(desktop ? `Saved to ${where}` : `Downloaded ${where}`);
    } catch (error) {
      fail('The lab could not be saved', error);
    }
  }, [client, desktop, fail, remember, say, store]);

  const exportLab = async (name: string) => {
    try {
      const { text } = await client.request('lab.export', { name });
      const where = await saveLabText(client, text, labFileName(name));
      if (where) say(desktop ? `Exported ${name} to ${where}` : `Downloaded ${where} (${name} as deployed)`);
    } catch (error) {
      fail(`The running lab ${name} could not be exported`, error);
    }
  };

  const picker = (
    <input ref={input} type="file" accept=".yaml,.yml" hidden aria-label="Open lab file" tabIndex={-1} onChange={(event) => void onFileChosen(event)} />
  );
  return { openFile, save, exportLab, picker };
}

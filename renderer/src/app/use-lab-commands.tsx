// What the toolbar and the canvas ask of the lab on the engine: Launch (or Apply),
// Destroy after confirming, and a terminal into one of its nodes.
import { useCallback } from 'react';
import type { EditorStore } from '../editor';
import type { ConfirmOptions } from './ConfirmDialog';
import type { DockState } from './use-dock';
import type { Notices } from './use-notices';
import type { LabSession } from './use-lab-session';

export interface LabCommandsOptions {
  store: EditorStore;
  session: LabSession;
  dock: DockState;
  notices: Notices;
  confirm(options: ConfirmOptions): Promise<boolean>;
  /** A launched lab goes to Recent. */
  remember(text: string): void;
}

export interface LabCommands {
  launch(): Promise<void>;
  destroy(): Promise<void>;
  openTerminal(node: string): void;
}

export function useLabCommands({ store, session, dock, notices, confirm, remember }: LabCommandsOptions): LabCommands {
  const { showProgress, openTerminal: openTab } = dock;
  const { dismiss, warn } = notices;

  const launch = async () => {
    const text = store.getSnapshot().text;
    showProgress();
    dismiss();
    remember(text);
    await session.launch(text);
  };

  const destroy = async () => {
    const name = store.getSnapshot().labName;
    const sure = await confirm({
      title: `Destroy ${name}?`,
      body: (
        <p>
          This removes every host, container, network and volume of <strong>{name}</strong> from the Docker engine. Terminals into its nodes end. The lab file is kept.
        </p>
      ),
      confirmLabel: 'Destroy',
      danger: true,
    });
    if (!sure) return;
    showProgress();
    await session.destroy();
  };

  const labKnownDown = session.status !== undefined && !session.isUp && session.busy === undefined;
  const openTerminal = useCallback(
    (node: string) => {
      const lab = store.getSnapshot().labName;
      if (labKnownDown) {
        warn({
          title: `No terminal in ${node}`,
          error: { code: 'lab-not-running', message: `${lab || 'This lab'} is not running.`, hint: 'Launch it, then open a terminal in any host or container.' },
        });
        return;
      }
      openTab({ kind: 'node', lab, node });
    },
    [labKnownDown, openTab, store, warn],
  );

  return { launch, destroy, openTerminal };
}

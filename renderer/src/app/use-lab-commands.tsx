// What the toolbar and the canvas ask of the lab on the engine: Launch (or Apply),
// Destroy after confirming, a terminal into one of its nodes, and the x-ray's capture,
// packet walk and tables of a node.
import { useCallback } from 'react';
import { parseLabText } from '../../../electron/lab/parse';
import type { EditorStore, XrayTool } from '../editor';
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
  openXray(tool: XrayTool, node: string): void;
}

const XRAY_NAMES: Record<XrayTool, string> = { capture: 'capture', trace: 'packet walk', tables: 'tables' };

export function useLabCommands({ store, session, dock, notices, confirm, remember }: LabCommandsOptions): LabCommands {
  const { showProgress, openTerminal: openTab, openXray: openXrayTab } = dock;
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

  const openXray = useCallback(
    (tool: XrayTool, node: string) => {
      const { labName: lab, text } = store.getSnapshot();
      if (labKnownDown) {
        warn({
          title: `No ${XRAY_NAMES[tool]} in ${node}`,
          error: { code: 'lab-not-running', message: `${lab || 'This lab'} is not running.`, hint: 'Launch it, then capture, trace or watch the tables of any node.' },
        });
        return;
      }
      // The lab's VXLAN ports decode a walk's hops; its containers are a walk's likely destinations.
      const parsed = parseLabText(text);
      const ports = parsed.ok ? [...new Set(parsed.lab.overlays.map((overlay) => overlay.port as number))] : [];
      const destinations = parsed.ok ? parsed.lab.containers.map((container) => container.name as string) : [];
      openXrayTab(tool, lab, node, { ports, destinations });
    },
    [labKnownDown, openXrayTab, store, warn],
  );

  return { launch, destroy, openTerminal, openXray };
}

// The bottom dock's state: which tab shows (Progress, a terminal or an x-ray panel), its
// height, and whether it is folded; and the terminals and x-ray panels it holds, opened
// and closed here.
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { ApiClient } from '../../../electron/api/contract';
import type { CreateTerminalAdapter } from '../terminals/adapter';
import type { TerminalTab, TerminalTarget } from '../terminals/terminal-store';
import { TerminalStore } from '../terminals/terminal-store';
import type { OpenOptions, XrayKind, XraySnapshot } from '../xray/xray-store';
import { XrayStore } from '../xray/xray-store';
import { PROGRESS_TAB } from './Dock';

export const DOCK_HEIGHT = 300;

export interface DockState {
  terminals: TerminalStore;
  tabs: readonly TerminalTab[];
  active: string;
  select(tab: string): void;
  height: number;
  resize(height: number): void;
  collapsed: boolean;
  toggle(): void;
  /** Unfolds the dock on the Progress tab. */
  showProgress(): void;
  /** Opens a terminal in a new tab and shows it. */
  openTerminal(target: TerminalTarget): void;
  /** Closes a terminal's tab; when it showed, its neighbour shows. */
  closeTerminal(key: string): void;
  /** The x-ray's panels (captures, packet walks, host tables) and what they focus. */
  xray: XrayStore;
  xrayState: XraySnapshot;
  /** Opens an x-ray panel in a new tab and shows it. */
  openXray(kind: XrayKind, lab: string, node: string, options?: OpenOptions): void;
  /** Closes an x-ray tab (stopping its capture or watch); when it showed, its neighbour shows. */
  closeXray(key: string): void;
}

export function useDock(client: ApiClient, createTerminalAdapter: CreateTerminalAdapter): DockState {
  const terminals = useMemo(() => new TerminalStore(client, createTerminalAdapter), [client, createTerminalAdapter]);
  useEffect(() => () => terminals.dispose(), [terminals]);
  const tabs = useSyncExternalStore(terminals.subscribe, terminals.getSnapshot);
  const xray = useMemo(() => new XrayStore(client), [client]);
  useEffect(() => () => xray.dispose(), [xray]);
  const xrayState = useSyncExternalStore(xray.subscribe, xray.getSnapshot);
  const [active, setActive] = useState(PROGRESS_TAB);
  const [height, setHeight] = useState(DOCK_HEIGHT);
  const [collapsed, setCollapsed] = useState(false);

  const show = useCallback((tab: string) => {
    setActive(tab);
    setCollapsed(false);
  }, []);

  const openTerminal = useCallback((target: TerminalTarget) => show(terminals.open(target)), [show, terminals]);

  const openXray = useCallback((kind: XrayKind, lab: string, node: string, options?: OpenOptions) => show(xray.open(kind, lab, node, options)), [show, xray]);

  const allKeys = () => [...tabs.map((tab) => tab.key), ...xrayState.panels.map((panel) => panel.key)];
  const showNeighbourOf = (key: string) => {
    if (active !== key) return;
    const keys = allKeys();
    const index = keys.indexOf(key);
    setActive(keys[index + 1] ?? keys[index - 1] ?? PROGRESS_TAB);
  };

  const closeXray = (key: string) => {
    showNeighbourOf(key);
    xray.close(key);
  };

  const closeTerminal = (key: string) => {
    if (active === key) {
      const keys = allKeys();
      const index = keys.indexOf(key);
      setActive(keys[index + 1] ?? keys[index - 1] ?? PROGRESS_TAB);
    }
    terminals.close(key);
  };

  return {
    terminals,
    tabs,
    active,
    select: setActive,
    height,
    resize: setHeight,
    collapsed,
    toggle: () => setCollapsed((folded) => !folded),
    showProgress: () => show(PROGRESS_TAB),
    openTerminal,
    closeTerminal,
    xray,
    xrayState,
    openXray,
    closeXray,
  };
}

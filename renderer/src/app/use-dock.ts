// The bottom dock's state: which tab shows (Progress, a terminal, an x-ray panel or the doctor), its
// height, and whether it is folded; and the terminals and x-ray panels it holds, opened
// and closed here.
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { ApiClient } from '../../../electron/api/contract';
import type { CreateTerminalAdapter } from '../terminals/adapter';
import type { TerminalTab, TerminalTarget } from '../terminals/terminal-store';
import { TerminalStore } from '../terminals/terminal-store';
import type { OpenOptions, XrayKind, XraySnapshot } from '../xray/xray-store';
import { XrayStore } from '../xray/xray-store';
import { DOCTOR_TAB, PROGRESS_TAB } from './Dock';

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
  /** The doctor's tab, while open: its lab, a count of the times it was asked for, the hosts its findings name. */
  doctor?: { lab: string; asked: number; hosts: readonly string[] };
  /** Opens (or shows again) the doctor's tab for a lab, and has it check again. */
  openDoctor(lab: string): void;
  closeDoctor(): void;
  setDoctorHosts(hosts: readonly string[]): void;
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
  const [doctor, setDoctor] = useState<DockState['doctor']>();

  const show = useCallback((tab: string) => {
    setActive(tab);
    setCollapsed(false);
  }, []);

  const openTerminal = useCallback((target: TerminalTarget) => show(terminals.open(target)), [show, terminals]);

  const openXray = useCallback((kind: XrayKind, lab: string, node: string, options?: OpenOptions) => show(xray.open(kind, lab, node, options)), [show, xray]);

  const openDoctor = useCallback(
    (lab: string) => {
      setDoctor((open) => ({ lab, asked: (open?.asked ?? 0) + 1, hosts: open?.lab === lab ? open.hosts : [] }));
      show(DOCTOR_TAB);
    },
    [show],
  );
  const setDoctorHosts = useCallback((hosts: readonly string[]) => setDoctor((open) => open && { ...open, hosts }), []);

  const allKeys = () => [...tabs.map((tab) => tab.key), ...xrayState.panels.map((panel) => panel.key), ...(doctor ? [DOCTOR_TAB] : [])];
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
    doctor,
    openDoctor,
    closeDoctor: () => {
      showNeighbourOf(DOCTOR_TAB);
      setDoctor(undefined);
    },
    setDoctorHosts,
  };
}

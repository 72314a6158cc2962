// The bottom dock: the Progress tab, one tab per terminal and per x-ray panel (capture,
// packet walk, host tables), the doctor's tab when open, a splitter to resize it.
import { useRef } from 'react';
import type { KeyboardEvent, PointerEvent, ReactNode } from 'react';
import type { TerminalStore, TerminalTab } from '../terminals/terminal-store';
import { TerminalView } from '../terminals/TerminalView';
import type { XrayPanel as XrayPanelData, XrayStore } from '../xray/xray-store';
import { XrayPanel } from '../xray/XrayPanel';
import { Icon, Spinner } from './icons';

export const PROGRESS_TAB = 'progress';
export const DOCTOR_TAB = 'doctor';
export const MIN_DOCK_HEIGHT = 120;

export interface DockProps {
  terminals: TerminalStore;
  tabs: readonly TerminalTab[];
  active: string;
  onSelect(tab: string): void;
  onCloseTerminal(key: string): void;
  onMachineShell(): void;
  progress: ReactNode;
  progressState: 'idle' | 'busy' | 'failed' | 'done';
  height: number;
  collapsed: boolean;
  onResize(height: number): void;
  onToggle(): void;
  /** The x-ray's panels, each a tab after the terminals. */
  xray?: { store: XrayStore; panels: readonly XrayPanelData[]; onClose(key: string): void };
  /** The doctor's panel, while open: the last tab. */
  doctor?: { panel: ReactNode; onClose(): void };
}

export function Dock(props: DockProps) {
  const { tabs, active, collapsed, height } = props;
  const tablist = useRef<HTMLDivElement>(null);
  const xrayPanels = props.xray?.panels ?? [];
  const ids = [PROGRESS_TAB, ...tabs.map((tab) => tab.key), ...xrayPanels.map((panel) => panel.key), ...(props.doctor ? [DOCTOR_TAB] : [])];

  const onTabKey = (event: KeyboardEvent) => {
    const index = ids.indexOf(active);
    let next: string | undefined;
    if (event.key === 'ArrowRight') next = ids[(index + 1) % ids.length];
    else if (event.key === 'ArrowLeft') next = ids[(index - 1 + ids.length) % ids.length];
    else if (event.key === 'Home') next = ids[0];
    else if (event.key === 'End') next = ids[ids.length - 1];
    if (!next) return;
    event.preventDefault();
    props.onSelect(next);
    tablist.current?.querySelector<HTMLElement>(`#dock-tab-${next}`)?.focus();
  };

  const startDrag = (event: PointerEvent<HTMLDivElement>) => {
    event.preventDefault();
    const startY = event.clientY;
    const startHeight = height;
    const target = event.currentTarget;
    target.setPointerCapture?.(event.pointerId);
    const move = (e: globalThis.PointerEvent) => props.onResize(clampHeight(startHeight + startY - e.clientY));
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
      target.removeEventListener('pointercancel', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
    target.addEventListener('pointercancel', up);
  };

  const onSplitterKey = (event: KeyboardEvent) => {
    const step = event.shiftKey ? 80 : 20;
    if (event.key === 'ArrowUp') props.onResize(clampHeight(height + step));
    else if (event.key === 'ArrowDown') props.onResize(clampHeight(height - step));
    else return;
    event.preventDefault();
  };

  return (
    <section className={`dock${collapsed ? ' dock-collapsed' : ''}`} aria-label="Dock" style={collapsed ? undefined : { height }}>
      {!collapsed && (
        <div
          className="dock-splitter"
          role="separator"
          aria-orientation="horizontal"
          aria-label="Resize the dock"
          aria-valuenow={height}
          aria-valuemin={MIN_DOCK_HEIGHT}
          tabIndex={0}
          onPointerDown={startDrag}
          onKeyDown={onSplitterKey}
        />
      )}
      <div className="dock-header">
        <div className="dock-tabs" role="tablist" aria-label="Dock tabs" ref={tablist} onKeyDown={onTabKey}>
          <div className={`dock-tab${active === PROGRESS_TAB ? ' dock-tab-active' : ''}`} role="presentation">
            <button
              type="button"
              role="tab"
              id={`dock-tab-${PROGRESS_TAB}`}
              aria-selected={active === PROGRESS_TAB}
              aria-controls={`dock-panel-${PROGRESS_TAB}`}
              tabIndex={active === PROGRESS_TAB ? 0 : -1}
              className="dock-tab-button"
              onClick={() => props.onSelect(PROGRESS_TAB)}
            >
              {props.progressState === 'busy' ? <Spinner size={13} /> : <Icon name="list" size={14} />}
              <span>Progress</span>
              {props.progressState === 'failed' && <span className="tab-badge tab-badge-danger" aria-label="failed">!</span>}
            </button>
          </div>
          {tabs.map((tab) => {
            const selected = active === tab.key;
            const ended = tab.state === 'exited' || tab.state === 'failed';
            return (
              <div key={tab.key} className={`dock-tab${selected ? ' dock-tab-active' : ''}${ended ? ' dock-tab-ended' : ''}`} role="presentation">
                <button
                  type="button"
                  role="tab"
                  id={`dock-tab-${tab.key}`}
                  aria-selected={selected}
                  aria-controls={`dock-panel-${tab.key}`}
                  aria-description={ended ? tab.message : tab.title}
                  tabIndex={selected ? 0 : -1}
                  className="dock-tab-button"
                  title={ended ? tab.message : tab.title}
                  onClick={() => props.onSelect(tab.key)}
                >
                  {tab.state === 'opening' ? <Spinner size={13} /> : <Icon name="terminal" size={14} />}
                  <span>{tab.label}</span>
                  {ended && (
                    <span className={`tab-badge tab-badge-text${tab.state === 'failed' ? ' tab-badge-danger' : ''}`} aria-label={tab.state === 'failed' ? 'failed' : 'ended'}>
                      {tab.state === 'failed' ? 'failed' : 'ended'}
                    </span>
                  )}
                </button>
                <button type="button" className="dock-tab-close" aria-label={`Close terminal ${tab.label}`} onClick={() => props.onCloseTerminal(tab.key)}>
                  <Icon name="close" size={12} />
                </button>
              </div>
            );
          })}
          {xrayPanels.map((panel) => {
            const selected = active === panel.key;
            return (
              <div key={panel.key} className={`dock-tab${selected ? ' dock-tab-active' : ''}`} role="presentation">
                <button
                  type="button"
                  role="tab"
                  id={`dock-tab-${panel.key}`}
                  aria-selected={selected}
                  aria-controls={`dock-panel-${panel.key}`}
                  aria-description={panel.title}
                  tabIndex={selected ? 0 : -1}
                  className="dock-tab-button"
                  title={panel.title}
                  onClick={() => props.onSelect(panel.key)}
                >
                  <Icon name={panel.kind === 'tables' ? 'list' : 'network'} size={14} />
                  <span>{panel.label}</span>
                </button>
                <button type="button" className="dock-tab-close" aria-label={`Close ${panel.label}`} onClick={() => props.xray?.onClose(panel.key)}>
                  <Icon name="close" size={12} />
                </button>
              </div>
            );
          })}
          {props.doctor && (
            <div className={`dock-tab${active === DOCTOR_TAB ? ' dock-tab-active' : ''}`} role="presentation">
              <button
                type="button"
                role="tab"
                id={`dock-tab-${DOCTOR_TAB}`}
                aria-selected={active === DOCTOR_TAB}
                aria-controls={`dock-panel-${DOCTOR_TAB}`}
                tabIndex={active === DOCTOR_TAB ? 0 : -1}
                className="dock-tab-button"
                onClick={() => props.onSelect(DOCTOR_TAB)}
              >
                <Icon name="alert" size={14} />
                <span>Doctor</span>
              </button>
              <button type="button" className="dock-tab-close" aria-label="Close Doctor" onClick={props.doctor.onClose}>
                <Icon name="close" size={12} />
              </button>
            </div>
          )}
        </div>
        <div className="dock-actions">
          <button type="button" className="dock-action" onClick={props.onMachineShell} title="A shell on the machine running vxlab">
            <Icon name="terminal" size={14} />
            <span>Machine shell</span>
          </button>
          <button type="button" className="icon-button" aria-label={collapsed ? 'Expand the dock' : 'Collapse the dock'} aria-expanded={!collapsed} onClick={props.onToggle}>
            <Icon name={collapsed ? 'chevronUp' : 'chevronDown'} />
          </button>
        </div>
      </div>
      <div className="dock-body" hidden={collapsed}>
        <div role="tabpanel" id={`dock-panel-${PROGRESS_TAB}`} aria-labelledby={`dock-tab-${PROGRESS_TAB}`} hidden={active !== PROGRESS_TAB} className="dock-panel">
          {props.progress}
        </div>
        {tabs.map((tab) => (
          <div key={tab.key} role="tabpanel" id={`dock-panel-${tab.key}`} aria-labelledby={`dock-tab-${tab.key}`} hidden={active !== tab.key} className="dock-panel dock-panel-terminal">
            <TerminalView store={props.terminals} tab={tab} active={active === tab.key && !collapsed} />
          </div>
        ))}
        {props.xray &&
          xrayPanels.map((panel) => (
            <div key={panel.key} role="tabpanel" id={`dock-panel-${panel.key}`} aria-labelledby={`dock-tab-${panel.key}`} hidden={active !== panel.key} className="dock-panel dock-panel-xray">
              <XrayPanel store={props.xray!.store} panel={panel} />
            </div>
          ))}
        {props.doctor && (
          <div role="tabpanel" id={`dock-panel-${DOCTOR_TAB}`} aria-labelledby={`dock-tab-${DOCTOR_TAB}`} hidden={active !== DOCTOR_TAB} className="dock-panel dock-panel-doctor">
            {props.doctor.panel}
          </div>
        )}
      </div>
    </section>
  );
}

function clampHeight(height: number): number {
  const max = Math.max(MIN_DOCK_HEIGHT, window.innerHeight - 160);
  return Math.round(Math.min(max, Math.max(MIN_DOCK_HEIGHT, height)));
}

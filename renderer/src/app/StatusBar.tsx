// The window's footer: the engine, the lab, the document.
import type { ApiClient } from '../../../electron/api/contract';
import { Icon, Spinner } from './icons';
import type { Operation } from './progress';
import type { LabStatus } from './runtime';
import type { EngineState } from './use-engine-status';

export interface StatusBarProps {
  mode: ApiClient['mode'];
  engine: EngineState;
  document?: { labName: string; problems: number; dirty: boolean };
  lab?: { status?: LabStatus; busy?: Operation };
  message?: string;
}

export function StatusBar({ mode, engine, document, lab, message }: StatusBarProps) {
  const info = engine.status?.info;
  return (
    <footer className="statusbar">
      <div className="status-item" title={info ? `Docker ${info.version} (API ${info.apiVersion}), kernel ${info.kernel}, storage ${info.storageDriver}` : engine.problem?.message}>
        {info ? (
          <>
            <span className="dot dot-ok" aria-hidden="true" />
            <span>Docker {info.version}</span>
            <span className="status-faint">{info.endpoint}</span>
          </>
        ) : engine.problem ? (
          <>
            <span className="dot dot-danger" aria-hidden="true" />
            <span>{engine.problem.code === 'disconnected' ? 'vxlab server not answering' : 'No Docker engine'}</span>
          </>
        ) : (
          <>
            <Spinner size={11} />
            <span>Checking the engine…</span>
          </>
        )}
      </div>
      {document && document.labName && lab && <LabState name={document.labName} status={lab.status} busy={lab.busy} />}
      {document && (
        <div className="status-item">
          {document.problems > 0 ? (
            <span className="text-warn">
              <Icon name="alert" size={12} /> {document.problems} {document.problems === 1 ? 'problem' : 'problems'}
            </span>
          ) : (
            <span className="text-ok-soft">
              <Icon name="check" size={12} /> Valid
            </span>
          )}
        </div>
      )}
      {document?.dirty && (
        <div className="status-item">
          <span className="dot dot-warn" aria-hidden="true" />
          Unsaved changes
        </div>
      )}
      <div className="status-spacer" />
      {message && (
        <div className="status-item status-message" role="status">
          {message}
        </div>
      )}
      <div className="status-item status-faint">{mode === 'desktop' ? 'Desktop' : 'Browser'}</div>
    </footer>
  );
}

function LabState({ name, status, busy }: { name: string; status?: LabStatus; busy?: Operation }) {
  let text: string;
  let dot = 'off';
  if (busy) {
    text = busy === 'up' ? 'launching…' : 'destroying…';
    dot = 'busy';
  } else if (!status) text = '…';
  else if (status.state === 'stopped') text = 'not running';
  else {
    const running = status.nodes.filter((node) => node.state === 'running').length;
    text = `${status.state} · ${running}/${status.nodes.length} nodes`;
    dot = status.state === 'running' ? 'ok' : 'warn';
  }
  return (
    <div className="status-item" aria-label={`Lab ${name}: ${text}`}>
      <span className={`dot dot-${dot}`} aria-hidden="true" />
      <span className="status-mono">{name}</span>
      <span className="status-faint">{text}</span>
    </div>
  );
}

// The dock's Progress tab: every step of the last Launch, Apply or Destroy per node,
// and beside it the nodes that run now, each with a way into a terminal.
import { useLayoutEffect, useRef } from 'react';
import type { ApiError } from '../../../electron/api/contract';
import { ErrorNotice } from './ErrorNotice';
import { Icon, Spinner } from './icons';
import type { Progress, ProgressRow } from './progress';
import { STEP_LABELS, formatMs } from './progress';
import type { LabStatus } from './runtime';
import { useNow } from './use-now';

export interface ProgressPanelProps {
  labName: string;
  progress: Progress;
  busy: boolean;
  error?: ApiError;
  onDismissError(): void;
  status?: LabStatus;
  onOpenTerminal(node: string): void;
}

export function ProgressPanel({ labName, progress, busy, error, onDismissError, status, onOpenTerminal }: ProgressPanelProps) {
  const now = useNow(busy);
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  // New rows scroll into view unless the person scrolled up to read earlier ones.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  }, [progress.rows.length, progress.logs.length]);
  const { rows, logs, operation, outcome, startedAt } = progress;
  const done = rows.filter((row) => row.state === 'done').length;
  const failed = rows.filter((row) => row.state === 'failed').length;
  return (
    <div className="progress-panel">
      <section className="progress-steps" aria-label="Steps">
        <header className="panel-header">
          <OperationHeading labName={labName} progress={progress} busy={busy} now={now} />
          {rows.length > 0 && (
            <span className="panel-header-meta">
              {done} of {rows.length} steps done{failed > 0 && <span className="text-danger"> · {failed} failed</span>}
            </span>
          )}
        </header>
        {error && <ErrorNotice title={operation === 'down' ? 'Destroy failed' : progress.applying ? 'Apply failed' : 'Launch failed'} error={error} onDismiss={onDismissError} />}
        {!operation && rows.length === 0 ? (
          <p className="empty-text panel-empty">
            Launch runs the lab on the Docker engine. Each step of each host shows here as it happens.
          </p>
        ) : (
          <div
            className="table-scroll"
            ref={scroller}
            onScroll={(event) => {
              const element = event.currentTarget;
              following.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
            }}
          >
            <table className="progress-table" aria-label="Progress">
              <thead>
                <tr>
                  <th scope="col" className="col-state"><span className="visually-hidden">State</span></th>
                  <th scope="col">Step</th>
                  <th scope="col">Node</th>
                  <th scope="col">Detail</th>
                  <th scope="col" className="col-time">Time</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => <StepRow key={row.key} row={row} now={now} />)}
                {busy && rows.length === 0 && (
                  <tr>
                    <td className="col-state"><Spinner /></td>
                    <td colSpan={4} className="text-muted">Waiting for the engine…</td>
                  </tr>
                )}
              </tbody>
            </table>
            {logs.length > 0 && (
              <ul className="progress-logs" aria-label="Messages">
                {logs.map((log) => (
                  <li key={log.key} className={log.level === 'warn' ? 'log-warn' : 'log-info'}>
                    <Icon name={log.level === 'warn' ? 'alert' : 'info'} size={13} />
                    {log.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        {outcome === undefined && startedAt !== undefined && busy && <span className="visually-hidden" aria-live="polite">Working</span>}
      </section>
      <NodesSummary status={status} onOpenTerminal={onOpenTerminal} />
    </div>
  );
}

function OperationHeading({ labName, progress, busy, now }: { labName: string; progress: Progress; busy: boolean; now: number }) {
  const { operation, outcome, startedAt, applying } = progress;
  const verb = operation === 'down' ? 'Destroy' : applying ? 'Apply' : 'Launch';
  let icon = <Icon name="list" />;
  let text = 'Progress';
  if (operation && busy) {
    icon = <Spinner />;
    text = `${operation === 'down' ? 'Destroying' : applying ? 'Applying' : 'Launching'} ${labName}… ${startedAt ? formatMs(now - startedAt) : ''}`;
  } else if (outcome?.ok) {
    icon = <Icon name="check" className="text-ok" />;
    text = `${operation === 'down' ? 'Destroyed' : applying ? 'Applied' : 'Launched'} ${labName} in ${formatMs(outcome.ms)}`;
  } else if (outcome && !outcome.ok) {
    icon = <Icon name="alert" className="text-danger" />;
    text = `${verb} of ${labName} failed`;
  }
  return (
    <h2 className="panel-title" aria-live="polite">
      {icon}
      <span>{text}</span>
    </h2>
  );
}

function StepRow({ row, now }: { row: ProgressRow; now: number }) {
  const time = row.ms !== undefined ? formatMs(row.ms) : formatMs(now - row.startedAt);
  return (
    <tr className={`step-row step-${row.state}`}>
      <td className="col-state">
        {row.state === 'running' && <Spinner label="running" />}
        {row.state === 'done' && <Icon name="check" className="text-ok" aria-hidden={false} role="img" aria-label="done" />}
        {row.state === 'failed' && <Icon name="close" className="text-danger" aria-hidden={false} role="img" aria-label="failed" />}
      </td>
      <td className="col-step">{STEP_LABELS[row.step]}</td>
      <td className="col-node">{row.node ?? <span className="text-faint">—</span>}</td>
      <td className="col-detail">
        {row.error ? (
          <span className="step-error">{row.error}</span>
        ) : (
          <>
            <span className="text-muted">{row.detail}</span>
            {row.fraction !== undefined && (
              <span className="bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(row.fraction * 100)} aria-label={`${STEP_LABELS[row.step]} progress`}>
                <span style={{ width: `${Math.round(row.fraction * 100)}%` }} />
              </span>
            )}
          </>
        )}
      </td>
      <td className="col-time">{time}</td>
    </tr>
  );
}

function NodesSummary({ status, onOpenTerminal }: { status?: LabStatus; onOpenTerminal(node: string): void }) {
  const nodes = [...(status?.nodes ?? [])].sort((a, b) =>
    a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'host' ? -1 : 1,
  );
  return (
    <section className="progress-nodes" aria-label="Nodes">
      <header className="panel-header">
        <h2 className="panel-title">
          <Icon name="server" />
          <span>Nodes</span>
        </h2>
        {status && <span className={`state-chip state-${status.state}`}>{status.state === 'stopped' ? 'not running' : status.state}</span>}
      </header>
      {nodes.length === 0 ? (
        <p className="empty-text panel-empty">Nothing of this lab runs on the engine.</p>
      ) : (
        <ul className="node-list">
          {nodes.map((node) => (
            <li key={`${node.kind}:${node.name}`} className="node-item">
              <span className={`dot dot-${node.state === 'running' ? 'ok' : 'off'}`} aria-hidden="true" />
              <Icon name={node.kind === 'host' ? 'server' : 'box'} size={14} className="text-muted" />
              <span className="node-name">{node.name}</span>
              <span className="node-addr">{node.addresses.join(' ')}</span>
              <span className="node-state">{node.state === 'running' ? (node.host ? `on ${node.host}` : 'host') : node.state}</span>
              <button
                type="button"
                className="icon-button"
                aria-label={`Open a terminal in ${node.name}`}
                title={`Open a terminal in ${node.name}`}
                disabled={node.state !== 'running'}
                onClick={() => onOpenTerminal(node.name)}
              >
                <Icon name="terminal" size={14} />
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

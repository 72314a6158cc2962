// The packet walk: one ping from a container to a destination, followed through every
// hop there and back. Back and Forward step through the hops; the canvas highlights the
// step's node and tunnel, the layer view shows the headers as they are at that hop, and
// the entry that sent the packet on is named.
import { useMemo, useState, useSyncExternalStore } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import type { TraceHop, TraceRole } from './api';
import { LayerView } from './LayerView';
import { base64Bytes } from './frames';
import type { TraceSession } from './trace-session';
import { decodeStep } from './xray-store';
import type { XrayPanel } from './xray-store';

type TracePanelData = Extract<XrayPanel, { kind: 'trace' }>;

const ROLE_NAMES: Record<TraceRole, string> = {
  sender: 'sends',
  'bridge-port': 'bridge port',
  vtep: 'VXLAN device',
  'underlay-out': 'underlay, out',
  'underlay-in': 'underlay, in',
  receiver: 'receives',
};

export function hopTitle(hop: TraceHop): string {
  return `${hop.node} ${hop.iface} (${ROLE_NAMES[hop.role] ?? hop.role})`;
}

export function TracePanel({ panel, destinations }: { panel: TracePanelData; destinations: readonly string[] }) {
  const session: TraceSession = panel.trace;
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const [dest, setDest] = useState(snapshot.dest || destinations.find((name) => name !== panel.node) || '');
  const step = snapshot.steps[snapshot.current];
  const decoded = useMemo(() => (step ? decodeStep(step, snapshot.result?.vxlanPorts ?? session.ports) : undefined), [step, snapshot.result, session.ports]);
  const bytes = useMemo(() => (step ? base64Bytes(step.hop.frame?.data) : undefined), [step]);
  const listId = `${panel.key}-destinations`;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (dest.trim() !== '') void session.trace(dest.trim());
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.target instanceof HTMLInputElement) return;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') session.forward();
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') session.back();
    else return;
    event.preventDefault();
  };

  return (
    <div className="xr-trace" role="region" aria-label={panel.title} onKeyDown={onKeyDown}>
      <form className="xr-settings" onSubmit={submit} aria-label={`Trace from ${panel.node}`}>
        <label>
          Trace from {panel.node} to
          <input list={listId} value={dest} onChange={(event) => setDest(event.target.value)} placeholder="container2 or 10.0.2.3" maxLength={64} size={18} />
        </label>
        <datalist id={listId}>
          {destinations
            .filter((name) => name !== panel.node)
            .map((name) => (
              <option key={name} value={name} />
            ))}
        </datalist>
        <button type="submit" disabled={snapshot.state === 'running' || dest.trim() === ''}>
          {snapshot.state === 'done' ? 'Trace again' : 'Trace'}
        </button>
      </form>
      <div role="status" aria-live="polite" className="xr-capture-status">
        {snapshot.state === 'running' && <span className="xr-state xr-state-live">Sending one ping from {panel.node} to {snapshot.dest}, capturing at every hop…</span>}
        {snapshot.state === 'failed' && (
          <span className="xr-state xr-state-failed">
            The walk failed: {snapshot.error?.message}
            {snapshot.error?.hint ? ` ${snapshot.error.hint}` : ''} <code>{snapshot.error?.code}</code>
          </span>
        )}
        {snapshot.state === 'done' && (
          <span className="xr-state">
            {panel.node} → {snapshot.result?.dest} ({snapshot.result?.destIp}): {snapshot.result?.request.length ?? 0} hops there, {snapshot.result?.reply.length ?? 0} back
          </span>
        )}
      </div>
      {snapshot.result && snapshot.result.problems.length > 0 && (
        <ul className="xr-problems" aria-label="Problems of the walk">
          {snapshot.result.problems.slice(0, 20).map((problem, index) => (
            <li key={index}>{problem}</li>
          ))}
        </ul>
      )}
      {snapshot.steps.length > 0 && step && (
        <div className="xr-trace-body">
          <div className="xr-trace-steps">
            <div className="xr-stepper">
              <button type="button" onClick={() => session.back()} disabled={snapshot.current === 0} aria-label="Previous hop">
                ◀ Back
              </button>
              <span aria-live="polite" className="xr-step-now">
                Step {snapshot.current + 1} of {snapshot.steps.length}: {step.direction}, {hopTitle(step.hop)}
              </span>
              <button type="button" onClick={() => session.forward()} disabled={snapshot.current >= snapshot.steps.length - 1} aria-label="Next hop">
                Forward ▶
              </button>
            </div>
            <ol className="xr-hops" aria-label="Hops">
              {snapshot.steps.map((candidate, index) => {
                const previous = snapshot.steps[index - 1];
                const delta = previous ? candidate.hop.timeUs - previous.hop.timeUs : 0;
                return (
                  <li key={index} className={`xr-hop xr-hop-${candidate.direction}${index === snapshot.current ? ' is-current' : ''}`}>
                    {(index === 0 || previous?.direction !== candidate.direction) && <div className="xr-hop-direction">{candidate.direction === 'request' ? 'Request' : 'Reply'}</div>}
                    <button type="button" aria-current={index === snapshot.current ? 'step' : undefined} onClick={() => session.go(index)}>
                      <span className="xr-hop-node">{hopTitle(candidate.hop)}</span>
                      <span className="xr-hop-time">
                        +{candidate.hop.sinceFirstUs} µs{index > 0 ? ` (${delta >= 0 ? '+' : ''}${delta} µs)` : ''}
                      </span>
                    </button>
                  </li>
                );
              })}
            </ol>
          </div>
          <div className="xr-detail">
            {step.hop.decision && (
              <p className="xr-decision" aria-label="Deciding entry">
                Sent on by the {step.hop.decision.table === 'fdb' ? 'FDB' : step.hop.decision.table} entry <code>{step.hop.decision.entry}</code>
                {step.hop.decision.pointsTo ? ` → ${step.hop.decision.pointsTo}` : ''}
              </p>
            )}
            {decoded && bytes ? (
              <LayerView packet={decoded} bytes={bytes} label={`Layers at step ${snapshot.current + 1}`} />
            ) : (
              <p className="xr-muted">This hop's frame could not be read.</p>
            )}
          </div>
        </div>
      )}
    </div>
  );
}

// The doctor in the dock (issue 8, section 4): asks the service's `lab.doctor` for what
// the lab's hosts show of their VTEPs, and lists each finding's host, device, cause and
// fix in plain words, as `vxlab doctor` prints them. The hosts it names are passed up so
// the canvas can light them.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient, ApiError, Result } from '../../../electron/api/contract';
import { toApiError } from '../api/errors';
import { ErrorNotice } from '../app/ErrorNotice';
import { Icon, Spinner } from '../app/icons';
import { InlineCode } from '../app/InlineCode';
import './doctor.css';

export interface DoctorPanelProps {
  client: ApiClient;
  lab: string;
  /** Changes each time the person asks for the doctor again from outside the panel. */
  checkToken?: number;
  /** The hosts the findings name (none when healthy or not yet known). */
  onHosts?: (hosts: readonly string[]) => void;
}

type DoctorReport = Result<'lab.doctor'>;

type DoctorView = { state: 'checking' } | { state: 'done'; report: DoctorReport } | { state: 'failed'; error: ApiError };

/** The hosts named by the findings, once each, in the report's order. */
export function hostsOfReport(report: DoctorReport): string[] {
  return [...new Set(report.findings.map((finding) => finding.host))];
}

export function DoctorPanel({ client, lab, checkToken = 0, onHosts }: DoctorPanelProps) {
  const [view, setView] = useState<DoctorView>({ state: 'checking' });
  /** Counts checks; only the answer to the latest one is shown. */
  const asked = useRef(0);
  const hostsListener = useRef(onHosts);
  hostsListener.current = onHosts;

  const check = useCallback(async () => {
    const mine = ++asked.current;
    setView({ state: 'checking' });
    hostsListener.current?.([]);
    try {
      const report = await client.request('lab.doctor', { name: lab });
      if (mine !== asked.current) return;
      setView({ state: 'done', report });
      hostsListener.current?.(hostsOfReport(report));
    } catch (error) {
      if (mine === asked.current) setView({ state: 'failed', error: toApiError(error) });
    }
  }, [client, lab]);

  useEffect(() => {
    void check();
    return () => {
      asked.current++;
    };
  }, [check, checkToken]);

  const checking = view.state === 'checking';
  return (
    <div className="doctor" aria-busy={checking || undefined}>
      <div className="doctor-header">
        <div className="doctor-summary" role="status">
          {checking && (
            <>
              <Spinner size={13} /> Checking…
            </>
          )}
          {view.state === 'done' && view.report.healthy && (
            <>
              <Icon name="check" size={14} className="doctor-ok" /> No fault found: every host's VTEPs match the lab file.
            </>
          )}
          {view.state === 'done' && !view.report.healthy && (
            <>
              <Icon name="alert" size={14} className="doctor-bad" /> {view.report.findings.length} {view.report.findings.length === 1 ? 'problem' : 'problems'} found
            </>
          )}
          {view.state === 'failed' && 'The doctor could not check the lab.'}
        </div>
        <button type="button" className="doctor-again" onClick={() => void check()} disabled={checking}>
          <Icon name="retry" size={13} />
          <span>Check again</span>
        </button>
      </div>
      {view.state === 'failed' && <ErrorNotice title="Doctor" error={view.error} />}
      {view.state === 'done' && view.report.findings.length > 0 && (
        <ul className="doctor-findings" aria-label={`Findings of lab ${lab}`}>
          {view.report.findings.map((finding, index) => (
            <li key={index} className="doctor-finding">
              <div className="doctor-where">
                <span className="doctor-host">{finding.host}</span>
                {finding.device && <span className="doctor-device">{finding.device}</span>}
                {finding.overlay && <span className="doctor-overlay">overlay {finding.overlay}</span>}
                <span className="doctor-code">{finding.code}</span>
              </div>
              <p className="doctor-cause">
                <span className="doctor-label">Cause: </span>
                <InlineCode text={finding.cause} />
              </p>
              <p className="doctor-fix">
                <span className="doctor-label">Fix: </span>
                <InlineCode text={finding.fix} />
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

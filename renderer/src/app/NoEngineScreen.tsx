// Everything needs a Docker engine: without one the window says how to start it.
import type { ApiError } from '../../../electron/api/contract';
import { Icon, Spinner } from './icons';
import { InlineCode } from './InlineCode';

export function NoEngineScreen({ problem, checking, onRetry }: { problem: ApiError; checking: boolean; onRetry: () => void }) {
  const serverGone = problem.code === 'disconnected';
  return (
    <div className="blocking-screen" role="alertdialog" aria-modal="true" aria-labelledby="no-engine-title" aria-describedby="no-engine-message">
      <div className="blocking-card">
        <div className="blocking-icon" aria-hidden="true">
          <Icon name="server" size={28} />
        </div>
        <h1 id="no-engine-title">{serverGone ? 'The vxlab server does not answer' : 'No Docker engine answers'}</h1>
        <p id="no-engine-message" className="blocking-message">
          <InlineCode text={problem.message} />
        </p>
        {problem.hint && (
          <div className="blocking-hint">
            <div className="blocking-hint-label">{serverGone ? 'What to do' : 'How to start one'}</div>
            <p>
              <InlineCode text={problem.hint} />
            </p>
          </div>
        )}
        {!serverGone && !problem.hint && (
          <p className="blocking-aside">
            On Debian or Ubuntu, <code>sudo scripts/provision.sh</code> installs and starts one. <code>DOCKER_HOST</code> selects another engine.
          </p>
        )}
        <div className="blocking-actions">
          <button type="button" className="button button-primary" onClick={onRetry} disabled={checking} autoFocus>
            {checking ? <Spinner /> : <Icon name="retry" />}
            {checking ? 'Checking…' : 'Retry'}
          </button>
          <span className="blocking-note">Checked again every 5 seconds.</span>
        </div>
      </div>
    </div>
  );
}

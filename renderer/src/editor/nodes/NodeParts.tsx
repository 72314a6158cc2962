// Pieces every node shows: its live state from a launched lab, and its problems.
import { memo } from 'react';
import type { NodeRuntime } from '../types';

const STATE_LABEL = { creating: 'creating', running: 'running', failed: 'failed', stopped: 'stopped' } as const;

export const RuntimeBadge = memo(function RuntimeBadge({ runtime }: { runtime: NodeRuntime | undefined }) {
  if (runtime === undefined) return null;
  const label = STATE_LABEL[runtime.state];
  const full = runtime.detail ? `${label}: ${runtime.detail}` : label;
  return (
    <span className={`vx-badge vx-badge-${runtime.state}`} title={full} aria-label={`State: ${full}`}>
      {label}
    </span>
  );
});

/** Why it failed, in full under the node, since that is what the user has to act on. */
export const FailureReason = memo(function FailureReason({ runtime }: { runtime: NodeRuntime | undefined }) {
  if (runtime?.state !== 'failed' || !runtime.detail) return null;
  return <div className="vx-failure">{runtime.detail}</div>;
});

export const ProblemCallout = memo(function ProblemCallout({ problems }: { problems: string[] }) {
  if (problems.length === 0) return null;
  const more = problems.length > 1 ? ` (+${problems.length - 1} more)` : '';
  return (
    <div className="vx-node-problem" role="note" title={problems.join('\n')}>
      <span className="vx-node-problem-text">
        {problems[0]}
        {more}
      </span>
    </div>
  );
});

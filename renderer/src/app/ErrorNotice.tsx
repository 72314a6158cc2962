// An error as a person should see it: what failed, the plain sentence, what to do next,
// and for an invalid lab file every problem with its place in the file.
import type { ApiError } from '../../../electron/api/contract';
import { Icon } from './icons';
import { InlineCode } from './InlineCode';

interface ProblemDetail {
  path?: string;
  line?: number;
  column?: number;
  message: string;
}

function problemDetails(details: unknown): ProblemDetail[] {
  if (!Array.isArray(details)) return [];
  return details.filter((d): d is ProblemDetail => typeof d?.message === 'string');
}

export function ErrorNotice({ title, error, onDismiss }: { title: string; error: ApiError; onDismiss?: () => void }) {
  const problems = problemDetails(error.details);
  return (
    <div className="notice notice-error" role="alert">
      <Icon name="alert" size={18} className="notice-icon" />
      <div className="notice-body">
        <div className="notice-title">
          {title} <span className="notice-code">{error.code}</span>
        </div>
        <div className="notice-message">
          <InlineCode text={error.message} />
        </div>
        {error.hint && (
          <div className="notice-hint">
            <InlineCode text={error.hint} />
          </div>
        )}
        {problems.length > 0 && (
          <ul className="notice-problems" aria-label="Problems">
            {problems.map((problem, index) => (
              <li key={index}>
                <span className="problem-where">
                  {problem.path || '(file)'}
                  {problem.line !== undefined && ` ${problem.line}:${problem.column ?? 1}`}
                </span>
                <span>
                  <InlineCode text={problem.message} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
      {onDismiss && (
        <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
          <Icon name="close" />
        </button>
      )}
    </div>
  );
}

// Every problem of the lab, as `vxlab validate` reports it; clicking one selects the
// element it is about and puts the cursor in the field to fix.
import { memo } from 'react';
import type { Problem } from '../../../electron/lab/model';
import { elementOfProblem, isNodeInfo } from './elements';
import type { ElementIndex } from './elements';
import type { LabEditorStore } from './store';

function where(elements: ElementIndex, problem: Problem): string {
  const id = elementOfProblem(elements, problem.path);
  const info = id === undefined ? undefined : elements.byId.get(id);
  const element = isNodeInfo(info) ? info.name || `${info.kind} ${info.index + 1}` : undefined;
  const line = problem.line === undefined ? '' : ` · line ${problem.line}`;
  return `${element ?? 'lab'}${line}`;
}

export const ProblemList = memo(function ProblemList({ store, problems, elements }: { store: LabEditorStore; problems: readonly Problem[]; elements: ElementIndex }) {
  return (
    <section className={`vx-problems${problems.length > 0 ? ' has-problems' : ''}`} aria-label="Problems">
      <h2 className="vx-panel-title">
        {problems.length === 0 ? 'No problems' : `${problems.length} problem${problems.length === 1 ? '' : 's'}`}
        {problems.length > 0 && <span className="vx-problems-note"> · Launch is disabled until they are fixed</span>}
      </h2>
      {problems.length > 0 && (
        <ul className="vx-problem-list">
          {problems.map((problem, index) => (
            <li key={`${problem.path}:${problem.code}:${index}`}>
              <button
                type="button"
                className="vx-problem"
                onClick={() => {
                  const id = elementOfProblem(elements, problem.path);
                  store.select(id === undefined ? [] : [id], { focusPath: problem.path });
                }}
              >
                <span className="vx-problem-where">{where(elements, problem)}</span>
                <span className="vx-problem-message">{problem.message}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
});

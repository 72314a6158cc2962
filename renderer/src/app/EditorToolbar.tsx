// The editor's toolbar: file commands, Launch (or Apply) and Destroy with the reason
// each is disabled, and the document's name with its unsaved mark.
import type { EditorSnapshot } from '../editor';
import { ToolbarButton, ToolbarGroup } from './Toolbar';
import type { LabSession } from './use-lab-session';

export interface EditorToolbarProps {
  snapshot: EditorSnapshot;
  session: LabSession;
  engineOk: boolean;
  onHome(): void;
  onNew(): void;
  onOpen(): void;
  onSave(): void;
  onExport(): void;
  onLaunch(): void;
  onDestroy(): void;
  /** Opens the doctor's tab in the dock for the running lab. */
  onDoctor?(): void;
}

/** Why Launch (or Apply) cannot run now, or undefined when it can. */
export function launchBlocker(snapshot: EditorSnapshot, busy: LabSession['busy'], engineOk: boolean): string | undefined {
  if (busy === 'up') return 'The lab is being launched.';
  if (busy === 'down') return 'The lab is being destroyed.';
  const problems = snapshot.problems;
  if (problems.length > 0) {
    const first = problems[0]!;
    const where = first.line !== undefined ? ` (line ${first.line})` : first.path ? ` (${first.path})` : '';
    return `Fix the lab file first: ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}. ${first.message}${where}`;
  }
  if (!snapshot.labName) return 'The lab file needs a name.';
  if (!engineOk) return 'No Docker engine answers.';
  return undefined;
}

export function EditorToolbar(props: EditorToolbarProps) {
  const { snapshot, session, engineOk } = props;
  const blocker = launchBlocker(snapshot, session.busy, engineOk);
  const apply = session.isUp;
  const destroyBlocker = session.busy ? 'Wait for the running operation.' : !session.exists ? 'Nothing of this lab is on the engine.' : undefined;
  return (
    <>
      <ToolbarGroup label="File">
        <ToolbarButton icon="home" label="Home" tip="Start screen: templates and recent labs" iconOnly onClick={props.onHome} />
        <ToolbarButton icon="newFile" label="New" tip="A new lab with one host" onClick={props.onNew} />
        <ToolbarButton icon="open" label="Open" tip="Open a lab file" shortcut="Ctrl+O" onClick={props.onOpen} />
        <ToolbarButton icon="save" label="Save" tip="Save the lab file" shortcut="Ctrl+S" onClick={props.onSave} />
        <ToolbarButton
          icon="export"
          label="Export"
          tip={session.exists ? 'Save the running lab as deployed, layout included' : 'Export needs a launched lab'}
          disabled={!session.exists || session.busy !== undefined}
          onClick={props.onExport}
        />
      </ToolbarGroup>
      <span className="tb-separator" aria-hidden="true" />
      <ToolbarGroup label="Lab">
        <ToolbarButton
          icon={(session.busy === 'up' ? session.applying : apply) ? 'apply' : 'play'}
          label={session.busy === 'up' ? (session.applying ? 'Applying…' : 'Launching…') : apply ? 'Apply' : 'Launch'}
          variant="primary"
          tip={blocker ?? (apply ? 'Converge the running lab to this file' : 'Bring the lab up on the Docker engine')}
          description={blocker}
          disabled={blocker !== undefined}
          busy={session.busy === 'up'}
          onClick={props.onLaunch}
        />
        <ToolbarButton
          icon="trash"
          label={session.busy === 'down' ? 'Destroying…' : 'Destroy'}
          variant="danger"
          tip={destroyBlocker ?? 'Remove every host, container, network and volume of the lab'}
          description={destroyBlocker}
          disabled={destroyBlocker !== undefined}
          busy={session.busy === 'down'}
          onClick={props.onDestroy}
        />
        {props.onDoctor && (
          <ToolbarButton
            icon="alert"
            label="Doctor"
            tip={session.isUp ? "Find what is wrong with the lab's VTEPs, from what the hosts show" : 'The doctor needs a running lab'}
            disabled={!session.isUp || session.busy !== undefined}
            onClick={props.onDoctor}
          />
        )}
      </ToolbarGroup>
      <div className="toolbar-spacer" />
      <div className="doc-title" aria-label="Document">
        <span className="doc-name">{snapshot.labName || 'untitled'}</span>
        {snapshot.dirty && <span className="doc-dirty" role="img" aria-label="unsaved changes" title="Unsaved changes" />}
      </div>
    </>
  );
}

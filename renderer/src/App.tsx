// The app shell: the start screen, and around the editor the toolbar, the dock
// (progress and terminals) and the status bar. It puts together the parts in app/,
// each with one job: the open document, its files, the start screen's lists, the lab
// on the engine, the dock, and what the person is told.
import type { ApiClient } from '../../electron/api/contract';
import type { EditorStore } from './editor';
import { LabEditor } from './editor';
import { useConfirm } from './app/ConfirmDialog';
import { DOCTOR_TAB, Dock } from './app/Dock';
import { EditorToolbar } from './app/EditorToolbar';
import { ErrorNotice } from './app/ErrorNotice';
import { Gallery } from './app/Gallery';
import { NoEngineScreen } from './app/NoEngineScreen';
import { ProgressPanel } from './app/ProgressPanel';
import { newLabText } from './app/new-lab';
import { StatusBar } from './app/StatusBar';
import { Brand } from './app/Toolbar';
import { useDock } from './app/use-dock';
import { useEngineStatus } from './app/use-engine-status';
import { useFileShortcuts } from './app/use-file-shortcuts';
import { useGallery } from './app/use-gallery';
import { useLabCommands } from './app/use-lab-commands';
import { useLabDocument } from './app/use-lab-document';
import { useLabFiles } from './app/use-lab-files';
import { useLabSession } from './app/use-lab-session';
import { useNotices } from './app/use-notices';
import { DoctorPanel } from './doctor/DoctorPanel';
import type { CreateTerminalAdapter } from './terminals/adapter';
import { createXtermAdapter } from './terminals/xterm-adapter';
import './app/styles.css';

export interface AppProps {
  client: ApiClient;
  /** The editor's store; tests pass a fake. A store that already holds text opens in the editor. */
  store?: EditorStore;
  /** The terminal emulator; tests pass a fake, since happy-dom cannot render xterm. */
  createTerminalAdapter?: CreateTerminalAdapter;
  /** Where "Recent" is kept (localStorage). */
  storage?: Storage;
  enginePollMs?: number;
}

function browserStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

export function App({ client, store: givenStore, createTerminalAdapter = createXtermAdapter, storage = browserStorage(), enginePollMs }: AppProps) {
  const { confirm, dialog } = useConfirm();
  const doc = useLabDocument(givenStore, confirm);
  const { store, snapshot, hasDocument, editing } = doc;
  const engine = useEngineStatus(client, enginePollMs);
  const gallery = useGallery(client, storage, engine.status !== undefined);
  const notices = useNotices();
  const session = useLabSession(client, hasDocument ? snapshot.labName : '');
  const dock = useDock(client, createTerminalAdapter);
  const commands = useLabCommands({ store, session, dock, notices, confirm, remember: gallery.remember });

  const engineOk = engine.status?.info !== undefined;
  const blocked = engine.problem !== undefined && !engineOk;

  /** Opens a lab in the editor; one from a file or Recent goes (back) to the top of Recent. */
  const open = async (text: string, remember = false) => {
    if (!(await doc.load(text))) return;
    notices.dismiss();
    if (remember) gallery.remember(text);
  };
  const files = useLabFiles({ client, store, open: (text) => open(text, true), remember: gallery.remember, fail: notices.fail, say: notices.say });
  useFileShortcuts({ save: () => void files.save(), open: () => void files.openFile(), canSave: editing, blocked });
  const newLab = () => void open(newLabText(gallery.freshName()));

  // While the doctor's tab shows, the hosts its findings name light up on the canvas.
  const doctorHighlight = dock.doctor && dock.active === DOCTOR_TAB && dock.doctor.hosts.length > 0 ? { nodes: dock.doctor.hosts } : undefined;

  const progressState = session.busy ? 'busy' : session.progress.outcome?.ok === false ? 'failed' : session.progress.outcome ? 'done' : 'idle';

  return (
    <>
      <div className="app" inert={blocked || undefined}>
        <header className="toolbar">
          <Brand />
          {editing ? (
            <EditorToolbar
              snapshot={snapshot}
              session={session}
              engineOk={engineOk}
              onHome={doc.showGallery}
              onNew={newLab}
              onOpen={() => void files.openFile()}
              onSave={() => void files.save()}
              onExport={() => void files.exportLab(snapshot.labName)}
              onLaunch={() => void commands.launch()}
              onDestroy={() => void commands.destroy()}
              onDoctor={() => dock.openDoctor(snapshot.labName)}
            />
          ) : (
            <div className="toolbar-title">
              <span className="toolbar-crumb">Start</span>
            </div>
          )}
        </header>
        {notices.notice && (
          <div className="notice-bar">
            <ErrorNotice title={notices.notice.title} error={notices.notice.error} onDismiss={notices.dismiss} />
          </div>
        )}
        {!editing ? (
          <Gallery
            templates={gallery.templates}
            templatesError={gallery.templatesError}
            recent={gallery.recent}
            current={hasDocument ? { name: snapshot.labName, dirty: snapshot.dirty } : undefined}
            onNew={newLab}
            onOpenFile={() => void files.openFile()}
            onOpenTemplate={(template) => void open(template.text)}
            onOpenRecent={(entry) => void open(entry.text, true)}
            onRemoveRecent={gallery.forget}
            onResume={doc.showEditor}
          />
        ) : (
          <main className="workspace" aria-label={`Lab ${snapshot.labName || 'untitled'}`}>
            <section className="editor-area" aria-label="Editor">
              <LabEditor store={store} runtime={session.runtime} onOpenTerminal={commands.openTerminal} onXray={commands.openXray} highlight={doctorHighlight ?? dock.xrayState.highlight} />
            </section>
            <Dock
              terminals={dock.terminals}
              tabs={dock.tabs}
              active={dock.active}
              onSelect={dock.select}
              onCloseTerminal={dock.closeTerminal}
              onMachineShell={() => dock.openTerminal({ kind: 'machine' })}
              progressState={progressState}
              height={dock.height}
              collapsed={dock.collapsed}
              onResize={dock.resize}
              onToggle={dock.toggle}
              xray={{ store: dock.xray, panels: dock.xrayState.panels, onClose: dock.closeXray }}
              doctor={
                dock.doctor && {
                  panel: <DoctorPanel client={client} lab={dock.doctor.lab} checkToken={dock.doctor.asked} onHosts={dock.setDoctorHosts} />,
                  onClose: dock.closeDoctor,
                }
              }
              progress={
                <ProgressPanel
                  labName={snapshot.labName}
                  progress={session.progress}
                  busy={session.busy !== undefined}
                  error={session.error}
                  onDismissError={session.dismissError}
                  status={session.status}
                  onOpenTerminal={commands.openTerminal}
                />
              }
            />
          </main>
        )}
        <StatusBar
          mode={client.mode}
          engine={engine}
          document={editing ? { labName: snapshot.labName, problems: snapshot.problems.length, dirty: snapshot.dirty } : undefined}
          lab={editing ? { status: session.status, busy: session.busy } : undefined}
          message={notices.message}
        />
        {files.picker}
      </div>
      {blocked && engine.problem && <NoEngineScreen problem={engine.problem} checking={engine.checking} onRetry={engine.retry} />}
      {dialog}
    </>
  );
}

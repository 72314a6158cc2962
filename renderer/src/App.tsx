// The app shell: the start screen, and around the editor the toolbar, the dock
// (progress and terminals) and the status bar. It loads and saves text, launches the
// lab the text describes, and hands the editor the lab's runtime state.
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ChangeEvent } from 'react';
import type { ApiClient, ApiError, TemplateInfo } from '../../electron/api/contract';
import { toApiError } from './api/errors';
import type { EditorSnapshot, EditorStore } from './editor';
import { LabEditor, createEditorStore } from './editor';
import { useConfirm } from './app/ConfirmDialog';
import { Dock, PROGRESS_TAB } from './app/Dock';
import { ErrorNotice } from './app/ErrorNotice';
import { labFileName, saveLabText } from './app/files';
import { Gallery } from './app/Gallery';
import { NoEngineScreen } from './app/NoEngineScreen';
import { ProgressPanel } from './app/ProgressPanel';
import { freshLabName, newLabText } from './app/new-lab';
import type { RecentLab } from './app/recent';
import { addRecent, loadRecent, removeRecent } from './app/recent';
import { StatusBar } from './app/StatusBar';
import { Brand, ToolbarButton, ToolbarGroup } from './app/Toolbar';
import { useEngineStatus } from './app/use-engine-status';
import type { LabSession } from './app/use-lab-session';
import { useLabSession } from './app/use-lab-session';
import type { CreateTerminalAdapter } from './terminals/adapter';
import { TerminalStore } from './terminals/terminal-store';
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
  statusPollMs?: number;
}

type View = 'gallery' | 'editor';

interface Notice {
  title: string;
  error: ApiError;
}

const MESSAGE_MS = 5_000;

function browserStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

export function App({ client, store: givenStore, createTerminalAdapter = createXtermAdapter, storage = browserStorage(), enginePollMs, statusPollMs }: AppProps) {
  const [store] = useState(() => givenStore ?? createEditorStore(''));
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [hasDocument, setHasDocument] = useState(() => store.getSnapshot().text.trim() !== '');
  const [view, setView] = useState<View>(() => (store.getSnapshot().text.trim() !== '' ? 'editor' : 'gallery'));
  const engine = useEngineStatus(client, enginePollMs);
  const session = useLabSession(client, hasDocument ? snapshot.labName : '', () => store.getSnapshot().text, statusPollMs);
  const [templates, setTemplates] = useState<TemplateInfo[] | undefined>();
  const [templatesError, setTemplatesError] = useState<ApiError | undefined>();
  const [recent, setRecent] = useState<RecentLab[]>(() => loadRecent(storage));
  const [notice, setNotice] = useState<Notice | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const { confirm, dialog } = useConfirm();
  const fileInput = useRef<HTMLInputElement>(null);

  const terminals = useMemo(() => new TerminalStore(client, createTerminalAdapter), [client, createTerminalAdapter]);
  useEffect(() => () => terminals.dispose(), [terminals]);
  const terminalTabs = useSyncExternalStore(terminals.subscribe, terminals.getSnapshot);
  const [dockTab, setDockTab] = useState(PROGRESS_TAB);
  const [dockHeight, setDockHeight] = useState(300);
  const [dockCollapsed, setDockCollapsed] = useState(false);

  const engineOk = engine.status?.info !== undefined;
  const blocked = engine.problem !== undefined && !engineOk;

  // Templates do not need the engine, only the server: read them again once it answers.
  const serverAnswers = engine.status !== undefined;
  useEffect(() => {
    if (templates) return;
    let live = true;
    client.request('templates.list', {}).then(
      (list) => {
        if (!live) return;
        setTemplates(list);
        setTemplatesError(undefined);
      },
      (error: unknown) => live && setTemplatesError(toApiError(error)),
    );
    return () => {
      live = false;
    };
  }, [client, templates, serverAnswers]);

  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => setMessage(undefined), MESSAGE_MS);
    return () => clearTimeout(timer);
  }, [message]);

  useEffect(() => {
    const name = hasDocument && view === 'editor' ? snapshot.labName || 'Untitled lab' : '';
    document.title = name ? `${name}${snapshot.dirty ? ' •' : ''} — vxlab` : 'vxlab';
  }, [hasDocument, view, snapshot.labName, snapshot.dirty]);

  useEffect(() => {
    if (!snapshot.dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [snapshot.dirty]);

  const fail = useCallback((title: string, error: unknown) => setNotice({ title, error: toApiError(error) }), []);

  const remember = useCallback((text: string) => setRecent(addRecent(storage, text)), [storage]);

  /** Replaces the document, after asking when unsaved changes would be lost. */
  const loadDocument = useCallback(
    async (text: string, options: { remember?: boolean } = {}) => {
      const current = store.getSnapshot();
      if (hasDocument && current.dirty) {
        const discard = await confirm({
          title: 'Discard unsaved changes?',
          body: <p>{current.labName || 'The open lab'} has changes that are not saved. Opening another lab discards them.</p>,
          confirmLabel: 'Discard changes',
          danger: true,
        });
        if (!discard) return;
      }
      store.load(text);
      setHasDocument(true);
      setView('editor');
      setNotice(undefined);
      if (options.remember) remember(text);
    },
    [confirm, hasDocument, remember, store],
  );

  const newLab = () => void loadDocument(newLabText(freshLabName(recent.map((entry) => entry.name))));

  const openFile = useCallback(async () => {
    if (client.mode !== 'desktop') {
      fileInput.current?.click();
      return;
    }
    try {
      const opened = await client.request('file.open', {});
      if (opened) await loadDocument(opened.text, { remember: true });
    } catch (error) {
      fail('The file could not be opened', error);
    }
  }, [client, fail, loadDocument]);

  const onFileChosen = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    try {
      const text = await file.text();
      await loadDocument(text, { remember: true });
    } catch (error) {
      fail(`${file.name} could not be read`, error);
    } finally {
      input.value = ''; // choosing the same file again must open it again
    }
  };

  const save = useCallback(async () => {
    const current = store.getSnapshot();
    try {
      const where = await saveLabText(client, current.text, labFileName(current.labName));
      if (!where) return;
      // Only what was written counts as saved: edits made while the dialog was open stay unsaved.
      if (store.getSnapshot().text === current.text) store.markSaved();
      remember(current.text);
      setMessage(client.mode === 'desktop' ? `Saved to ${where}` : `Downloaded ${where}`);
    } catch (error) {
      fail('The lab could not be saved', error);
    }
  }, [client, fail, remember, store]);

  const exportLab = async () => {
    const name = snapshot.labName;
    try {
      const { text } = await client.request('lab.export', { name });
      const where = await saveLabText(client, text, labFileName(name));
      if (where) setMessage(client.mode === 'desktop' ? `Exported ${name} to ${where}` : `Downloaded ${where} (${name} as deployed)`);
    } catch (error) {
      fail(`The running lab ${name} could not be exported`, error);
    }
  };

  const showProgress = () => {
    setDockTab(PROGRESS_TAB);
    setDockCollapsed(false);
  };

  const launch = async () => {
    const text = store.getSnapshot().text;
    showProgress();
    setNotice(undefined);
    remember(text);
    await session.launch(text);
  };

  const destroy = async () => {
    const name = snapshot.labName;
    const sure = await confirm({
      title: `Destroy ${name}?`,
      body: (
        <p>
          This removes every host, container, network and volume of <strong>{name}</strong> from the Docker engine. Terminals into its nodes end. The lab file is kept.
        </p>
      ),
      confirmLabel: 'Destroy',
      danger: true,
    });
    if (!sure) return;
    showProgress();
    await session.destroy();
  };

  const labKnownDown = session.status !== undefined && !session.isUp && session.busy === undefined;
  const openTerminal = useCallback(
    (node: string) => {
      const lab = store.getSnapshot().labName;
      if (labKnownDown) {
        setNotice({
          title: `No terminal in ${node}`,
          error: { code: 'lab-not-running', message: `${lab || 'This lab'} is not running.`, hint: 'Launch it, then open a terminal in any host or container.' },
        });
        return;
      }
      const key = terminals.open({ kind: 'node', lab, node });
      setDockTab(key);
      setDockCollapsed(false);
    },
    [labKnownDown, store, terminals],
  );

  const openMachineShell = () => {
    setDockTab(terminals.open({ kind: 'machine' }));
    setDockCollapsed(false);
  };

  const closeTerminal = (key: string) => {
    if (dockTab === key) {
      const keys = terminalTabs.map((tab) => tab.key);
      const index = keys.indexOf(key);
      setDockTab(keys[index + 1] ?? keys[index - 1] ?? PROGRESS_TAB);
    }
    terminals.close(key);
  };

  // Ctrl+S and Ctrl+O, except in a terminal, where they belong to the program (nano, less).
  const shortcuts = useRef({ save, openFile, view, blocked });
  shortcuts.current = { save, openFile, view, blocked };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey) return;
      if ((event.target as Element | null)?.closest?.('.terminal-view, [role="dialog"]')) return;
      const key = event.key.toLowerCase();
      const { save: saveNow, openFile: openNow, view: currentView, blocked: isBlocked } = shortcuts.current;
      if (isBlocked) return;
      if (key === 's' && currentView === 'editor') {
        event.preventDefault();
        void saveNow();
      } else if (key === 'o') {
        event.preventDefault();
        void openNow();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const progressState = session.busy ? 'busy' : session.progress.outcome?.ok === false ? 'failed' : session.progress.outcome ? 'done' : 'idle';

  return (
    <>
      <div className="app" inert={blocked || undefined}>
        <header className="toolbar">
          <Brand />
          {view === 'editor' && hasDocument ? (
            <EditorToolbar
              snapshot={snapshot}
              session={session}
              engineOk={engineOk}
              onHome={() => setView('gallery')}
              onNew={newLab}
              onOpen={() => void openFile()}
              onSave={() => void save()}
              onExport={() => void exportLab()}
              onLaunch={() => void launch()}
              onDestroy={() => void destroy()}
            />
          ) : (
            <div className="toolbar-title">
              <span className="toolbar-crumb">Start</span>
            </div>
          )}
        </header>
        {notice && (
          <div className="notice-bar">
            <ErrorNotice title={notice.title} error={notice.error} onDismiss={() => setNotice(undefined)} />
          </div>
        )}
        {view === 'gallery' || !hasDocument ? (
          <Gallery
            templates={templates}
            templatesError={templatesError}
            recent={recent}
            current={hasDocument ? { name: snapshot.labName, dirty: snapshot.dirty } : undefined}
            onNew={newLab}
            onOpenFile={() => void openFile()}
            onOpenTemplate={(template) => void loadDocument(template.text)}
            onOpenRecent={(entry) => void loadDocument(entry.text, { remember: true })}
            onRemoveRecent={(name) => setRecent(removeRecent(storage, name))}
            onResume={() => setView('editor')}
          />
        ) : (
          <main className="workspace" aria-label={`Lab ${snapshot.labName || 'untitled'}`}>
            <section className="editor-area" aria-label="Editor">
              <LabEditor store={store} runtime={session.runtime} onOpenTerminal={openTerminal} />
            </section>
            <Dock
              terminals={terminals}
              tabs={terminalTabs}
              active={dockTab}
              onSelect={setDockTab}
              onCloseTerminal={closeTerminal}
              onMachineShell={openMachineShell}
              progressState={progressState}
              height={dockHeight}
              collapsed={dockCollapsed}
              onResize={setDockHeight}
              onToggle={() => setDockCollapsed((collapsed) => !collapsed)}
              progress={
                <ProgressPanel
                  labName={snapshot.labName}
                  progress={session.progress}
                  busy={session.busy !== undefined}
                  error={session.error}
                  onDismissError={session.dismissError}
                  status={session.status}
                  onOpenTerminal={openTerminal}
                />
              }
            />
          </main>
        )}
        <StatusBar
          mode={client.mode}
          engine={engine}
          document={view === 'editor' && hasDocument ? { labName: snapshot.labName, problems: snapshot.problems.length, dirty: snapshot.dirty } : undefined}
          lab={view === 'editor' && hasDocument ? { status: session.status, busy: session.busy } : undefined}
          message={message}
        />
        <input ref={fileInput} type="file" accept=".yaml,.yml" hidden aria-label="Open lab file" tabIndex={-1} onChange={(event) => void onFileChosen(event)} />
      </div>
      {blocked && engine.problem && <NoEngineScreen problem={engine.problem} checking={engine.checking} onRetry={engine.retry} />}
      {dialog}
    </>
  );
}

interface EditorToolbarProps {
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

function EditorToolbar(props: EditorToolbarProps) {
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
      </ToolbarGroup>
      <div className="toolbar-spacer" />
      <div className="doc-title" aria-label="Document">
        <span className="doc-name">{snapshot.labName || 'untitled'}</span>
        {snapshot.dirty && <span className="doc-dirty" role="img" aria-label="unsaved changes" title="Unsaved changes" />}
      </div>
    </>
  );
}

// The topology editor: palette, canvas, property panel and problem list around one
// store. The shell gives it the store (from createEditorStore), the live state of a
// launched lab, and what to do when a terminal is asked for.
import '@xyflow/react/dist/style.css';
import './editor.css';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { ContextMenu } from './ContextMenu';
import { Canvas } from './Canvas';
import type { ContextMenuRequest } from './Canvas';
import { EditorContext } from './context';
import type { EditorActions } from './context';
import { isNodeInfo } from './elements';
import { useEditorShortcuts } from './keyboard';
import { Palette } from './Palette';
import { ProblemList } from './ProblemList';
import { PropertyPanel } from './PropertyPanel';
import { asLabEditorStore } from './store';
import { Toolbar } from './Toolbar';
import type { LabEditorProps } from './types';
import { setPositions } from '../../../electron/lab/layout';

/** How long a notice ("drop the container on a host") stays. */
const NOTICE_MS = 6000;

export function LabEditor(props: LabEditorProps) {
  return (
    <ReactFlowProvider>
      <Editor {...props} />
    </ReactFlowProvider>
  );
}

function Editor({ store: shellStore, runtime, onOpenTerminal, onXray, highlight }: LabEditorProps) {
  const store = asLabEditorStore(shellStore);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const root = useRef<HTMLDivElement>(null);
  const flow = useReactFlow();
  const [menu, setMenu] = useState<ContextMenuRequest | undefined>();

  // The shell may pass a new function each render; nodes get one that never changes.
  const terminalRef = useRef(onOpenTerminal);
  terminalRef.current = onOpenTerminal;
  const hasTerminal = onOpenTerminal !== undefined;
  const openTerminal = useMemo(() => (hasTerminal ? (node: string) => terminalRef.current?.(node) : undefined), [hasTerminal]);

  const resizeHost = useCallback<EditorActions['resizeHost']>(
    (id, box) => {
      const info = store.getState().elements.byId.get(id);
      if (!isNodeInfo(info) || !info.primary) return;
      store.apply((doc) => setPositions(doc, [{ kind: 'host', name: info.name, x: box.x, y: box.y, w: box.width, h: box.height }]));
    },
    [store],
  );
  const actions = useMemo<EditorActions>(() => ({ store, openTerminal, resizeHost }), [store, openTerminal, resizeHost]);

  const closeMenu = useCallback(() => setMenu(undefined), []);
  const openMenuForSelection = useCallback(() => {
    const id = store.getState().selection[0];
    if (id === undefined || !isNodeInfo(store.getState().elements.byId.get(id))) return;
    const node = flow.getInternalNode(id);
    const screen = node ? flow.flowToScreenPosition(node.internals.positionAbsolute) : { x: 0, y: 0 };
    setMenu({ nodeId: id, x: screen.x + 24, y: screen.y + 24 });
  }, [store, flow]);
  const shortcuts = useMemo(() => ({ openMenu: openMenuForSelection }), [openMenuForSelection]);
  useEditorShortcuts(root, store, shortcuts);

  const notice = state.notice;
  useEffect(() => {
    if (notice === undefined) return;
    const timer = setTimeout(() => store.dismissNotice(notice.id), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice, store]);

  const editable = state.doc !== undefined;
  return (
    <EditorContext.Provider value={actions}>
      <div className="vx-editor" ref={root}>
        <Toolbar
          store={store}
          canUndo={snapshot.canUndo}
          canRedo={snapshot.canRedo}
          hasSelection={state.selection.length > 0}
          canPaste={state.clipboard !== undefined}
          editable={editable}
          tunnelLanes={state.elements.tunnelLanes}
        />
        <div className="vx-editor-main">
          <Palette store={store} disabled={!editable} />
          <div className="vx-editor-center">
            {editable ? (
              <Canvas store={store} state={state} problems={snapshot.problems} runtime={runtime} onOpenTerminal={openTerminal} onContextMenu={setMenu} highlight={highlight} />
            ) : (
              <div className="vx-canvas vx-unreadable" role="note">
                <p>This file cannot be drawn: it is not a YAML mapping. The problems below say where; fix them in a text editor and open the file again.</p>
              </div>
            )}
            <div className="vx-notice-area" role="status" aria-live="polite">
              {notice && (
                <div className={`vx-notice vx-notice-${notice.tone}`}>
                  <span>{notice.text}</span>
                  <button type="button" aria-label="Dismiss" onClick={() => store.dismissNotice(notice.id)}>
                    ×
                  </button>
                </div>
              )}
            </div>
            <ProblemList store={store} problems={snapshot.problems} elements={state.elements} />
          </div>
          <PropertyPanel
            store={store}
            doc={state.doc}
            elements={state.elements}
            selection={state.selection}
            problems={snapshot.problems}
            focusPath={state.focusPath}
            runtime={runtime}
            openTerminal={openTerminal}
          />
        </div>
        {menu && <ContextMenu store={store} nodeId={menu.nodeId} x={menu.x} y={menu.y} openTerminal={openTerminal} onXray={onXray} onClose={closeMenu} />}
      </div>
    </EditorContext.Provider>
  );
}

// The canvas: React Flow over the graph of the document. Positions live in React
// Flow's state while a node is dragged and reach the document (and its history) once,
// when the drag stops; nothing is serialised per mouse move.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DragEvent, MouseEvent as ReactMouseEvent } from 'react';
import {
  applyNodeChanges,
  Background,
  BackgroundVariant,
  ConnectionMode,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
} from '@xyflow/react';
import type { Connection, EdgeChange, EdgeTypes, IsValidConnection, NodeChange, NodeTypes, OnNodeDrag } from '@xyflow/react';
import { GEOMETRY, hostAt } from '../../../electron/lab/layout';
import type { LabLayout, PositionUpdate } from '../../../electron/lab/layout';
import type { Problem } from '../../../electron/lab/model';
import { canConnect, commitDrag, connect, DROP_ON_A_HOST, dropNew, insideHost, isNodeKind, kindMime, NODE_MIME } from './commands';
import type { ContainerMove } from './commands';
import { isNodeInfo } from './elements';
import { useFitLab } from './fit-view';
import { buildGraph, reuseEdges, reuseNodes, withSelection } from './graph';
import { highlightEdges, highlightNodes } from './highlight';
import type { EditorEdge, EditorNode } from './graph';
import { ContainerNodeView } from './nodes/ContainerNode';
import { AttachmentEdgeView, TunnelEdgeView } from './nodes/edges';
import { HostNodeView } from './nodes/HostNode';
import { OverlayNodeView } from './nodes/OverlayNode';
import type { EditorState, LabEditorStore } from './store';
import type { CanvasHighlight, RuntimeState } from './types';

const nodeTypes: NodeTypes = { host: HostNodeView, container: ContainerNodeView, overlay: OverlayNodeView };
const edgeTypes: EdgeTypes = { tunnel: TunnelEdgeView, attachment: AttachmentEdgeView };
/** Above this many elements, React Flow draws only what is in view. */
const VISIBLE_ONLY_ABOVE = 120;

export interface ContextMenuRequest {
  nodeId: string;
  x: number;
  y: number;
}

interface CanvasProps {
  store: LabEditorStore;
  state: EditorState;
  problems: readonly Problem[];
  runtime: RuntimeState | undefined;
  onOpenTerminal: ((node: string) => void) | undefined;
  onContextMenu: (request: ContextMenuRequest) => void;
  /** The x-ray's trace step: its node and tunnel are drawn highlighted. */
  highlight?: CanvasHighlight;
}

function markDropTarget(nodes: EditorNode[], target: string | undefined): EditorNode[] {
  let changed = false;
  const result = nodes.map((node) => {
    if (node.type !== 'host') return node;
    const marked = node.className?.includes('is-drop-target') ?? false;
    const wanted = node.id === target;
    if (marked === wanted) return node;
    changed = true;
    const base = (node.className ?? '').replace(/\s*is-drop-target/, '');
    return { ...node, className: wanted ? `${base} is-drop-target` : base };
  });
  return changed ? result : nodes;
}

/** Host boxes as React Flow has them now, in canvas coordinates. */
function hostBoxes(nodes: readonly EditorNode[]): LabLayout {
  const layout: LabLayout = { hosts: new Map(), containers: new Map(), overlays: new Map(), orphans: new Map() };
  for (const node of nodes) {
    if (node.type !== 'host' || !node.data.name) continue;
    const w = node.measured?.width ?? node.width ?? GEOMETRY.hostMinWidth;
    const h = node.measured?.height ?? node.height ?? GEOMETRY.hostMinHeight;
    layout.hosts.set(node.id, { x: node.position.x, y: node.position.y, w, h });
  }
  return layout;
}

export function Canvas({ store, state, problems, runtime, onOpenTerminal, onContextMenu, highlight }: CanvasProps) {
  const { doc, elements, selection, generation } = state;
  const flow = useReactFlow<EditorNode, EditorEdge>();
  const fitLab = useFitLab(elements.tunnelLanes);
  const fitLabRef = useRef(fitLab);
  fitLabRef.current = fitLab;

  const graph = useMemo(() => (doc === undefined ? undefined : buildGraph({ doc, elements, problems, runtime })), [doc, elements, problems, runtime]);
  const selected = useMemo(() => new Set(selection), [selection]);
  const [dropTarget, setDropTarget] = useState<string | undefined>();

  // React Flow's own copy of the nodes: the graph's, plus positions while dragging.
  const [nodes, setNodes] = useState<EditorNode[]>([]);
  const [shown, setShown] = useState<{ graph: typeof graph; selected: ReadonlySet<string>; dropTarget: string | undefined; highlight: CanvasHighlight | undefined }>();
  if (shown?.graph !== graph || shown?.selected !== selected || shown?.dropTarget !== dropTarget || shown?.highlight !== highlight) {
    const graphChanged = shown?.graph !== graph;
    setShown({ graph, selected, dropTarget, highlight });
    setNodes((previous) => {
      const base = graphChanged ? reuseNodes(previous, withSelection(graph?.nodes ?? [], selected)) : withSelection(previous, selected);
      return highlightNodes(markDropTarget(base, dropTarget), highlight);
    });
  }
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;

  const edgesRef = useRef<EditorEdge[]>([]);
  const edges = useMemo(() => {
    edgesRef.current = reuseEdges(edgesRef.current, highlightEdges(withSelection(graph?.edges ?? [], selected), highlight));
    return edgesRef.current;
  }, [graph, selected, highlight]);

  // A newly opened lab is fitted into view once React Flow knows the pane's size and has
  // the nodes (every node has its size from the layout, so none needs measuring). Until
  // the user pans or zooms, it is fitted again whenever the pane changes size: the shell
  // may still be laying itself out. Edits never move the view: a node dropped by the
  // user stays where it was dropped, and the next drop lands where the user aims.
  const paneSize = useStore((flowState) => (flowState.width > 0 && flowState.height > 0 ? `${flowState.width}x${flowState.height}` : ''));
  const hasNodes = useStore((flowState) => flowState.nodeLookup.size > 0);
  const labHasNodes = (graph?.nodes.length ?? 0) > 0;
  const fitted = useRef<{ generation: number; userMoved: boolean; done: boolean; paneSize: string; doc: unknown } | undefined>(undefined);
  useEffect(() => {
    if (paneSize === '') return;
    if (fitted.current?.generation !== generation) {
      // A lab opened empty is drawn from the default view: there is nothing to fit.
      fitted.current = { generation, userMoved: false, done: !labHasNodes, paneSize, doc };
    }
    const current = fitted.current;
    if (!hasNodes || current.userMoved) return;
    // Once the person edits, the view is theirs: the problem list growing or shrinking
    // under the canvas must not move what they are drawing.
    if (current.done && (current.paneSize === paneSize || current.doc !== doc)) return;
    current.done = true;
    current.paneSize = paneSize;
    current.doc = doc;
    fitLabRef.current();
  }, [paneSize, hasNodes, generation, labHasNodes, doc]);
  const onMoveStart = useCallback((event: MouseEvent | TouchEvent | null) => {
    // A move without an event is the editor's own (fitView); one with an event is the user's.
    if (event !== null && fitted.current) fitted.current.userMoved = true;
  }, []);

  const selectFromChanges = useCallback(
    (changes: readonly (NodeChange<EditorNode> | EdgeChange<EditorEdge>)[]) => {
      const selects = changes.filter((change) => change.type === 'select');
      if (selects.length === 0) return;
      const next = new Set(store.getState().selection);
      for (const change of selects) {
        if (change.selected) next.add(change.id);
        else next.delete(change.id);
      }
      store.select([...next]);
    },
    [store],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<EditorNode>[]) => {
      // Removal goes through the store (Delete key, menu), never through React Flow alone.
      const kept = changes.filter((change) => change.type !== 'remove' && change.type !== 'add' && change.type !== 'replace');
      setNodes((current) => applyNodeChanges(kept, current));
      selectFromChanges(kept);
    },
    [selectFromChanges],
  );

  const onEdgesChange = useCallback((changes: EdgeChange<EditorEdge>[]) => selectFromChanges(changes), [selectFromChanges]);

  const draggedContainerHost = useCallback(
    (node: EditorNode): string | undefined => {
      const internal = flow.getInternalNode(node.id);
      const absolute = internal?.internals.positionAbsolute ?? node.position;
      const size = { w: node.width ?? GEOMETRY.containerWidth, h: node.height ?? 60 };
      return hostAt(hostBoxes(nodesRef.current), { x: absolute.x + size.w / 2, y: absolute.y + Math.min(size.h / 2, 24) });
    },
    [flow],
  );

  const onNodeDrag: OnNodeDrag<EditorNode> = useCallback(
    (_event, node) => {
      if (node.type !== 'container') return;
      const target = draggedContainerHost(node);
      setDropTarget((previous) => (previous === target ? previous : target));
    },
    [draggedContainerHost],
  );

  const onNodeDragStop: OnNodeDrag<EditorNode> = useCallback(
    (_event, _node, dragged) => {
      setDropTarget(undefined);
      const updates: PositionUpdate[] = [];
      const moves: ContainerMove[] = [];
      let refused = false;
      const boxes = hostBoxes(nodesRef.current);
      const { elements: index } = store.getState();
      for (const node of dragged) {
        const info = index.byId.get(node.id);
        if (!isNodeInfo(info) || !info.primary) continue;
        if (node.type === 'host') updates.push({ kind: 'host', name: info.name, x: node.position.x, y: node.position.y });
        if (node.type === 'overlay') updates.push({ kind: 'overlay', name: info.name, x: node.position.x, y: node.position.y });
        if (node.type !== 'container') continue;
        const hostId = draggedContainerHost(node);
        const box = hostId === undefined ? undefined : boxes.hosts.get(hostId);
        const host = hostId === undefined ? undefined : index.byId.get(hostId);
        if (box === undefined || !isNodeInfo(host)) {
          refused = true;
          continue;
        }
        const absolute = flow.getInternalNode(node.id)?.internals.positionAbsolute ?? node.position;
        const position = insideHost({ x: absolute.x - box.x, y: absolute.y - box.y });
        if (hostId === node.parentId) updates.push({ kind: 'container', name: info.name, ...position });
        else moves.push({ container: info.name, toHost: host.name, position });
      }
      if (refused) {
        store.notify(DROP_ON_A_HOST, 'error');
        // Put back what could not be placed: the document still has its old place.
        setShown(undefined);
      }
      commitDrag(store, updates, moves);
    },
    [store, flow, draggedContainerHost],
  );

  const onConnect = useCallback((connection: Connection) => connect(store, connection.source, connection.target), [store]);
  const isValidConnection: IsValidConnection<EditorEdge> = useCallback(
    (connection) => canConnect(store, connection.source, connection.target),
    [store],
  );

  const onNodeDoubleClick = useCallback(
    (_event: ReactMouseEvent, node: EditorNode) => {
      if (node.type === 'overlay' || onOpenTerminal === undefined) return;
      if (node.data.name) onOpenTerminal(node.data.name);
    },
    [onOpenTerminal],
  );

  const onNodeContextMenu = useCallback(
    (event: ReactMouseEvent, node: EditorNode) => {
      event.preventDefault();
      if (!store.getState().selection.includes(node.id)) store.select([node.id]);
      onContextMenu({ nodeId: node.id, x: event.clientX, y: event.clientY });
    },
    [store, onContextMenu],
  );

  const onPaneClick = useCallback(() => store.select([]), [store]);

  const onDragOver = useCallback(
    (event: DragEvent) => {
      if (!event.dataTransfer.types.includes(NODE_MIME)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
      if (!event.dataTransfer.types.includes(kindMime('container'))) return;
      const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const target = hostAt(hostBoxes(nodesRef.current), point);
      setDropTarget((previous) => (previous === target ? previous : target));
    },
    [flow],
  );

  const onDragLeave = useCallback(() => setDropTarget(undefined), []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(NODE_MIME);
      if (!isNodeKind(kind)) return;
      event.preventDefault();
      setDropTarget(undefined);
      const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      if (graph) dropNew(store, kind, point, graph.layout);
    },
    [flow, graph, store],
  );

  const minimapColor = useCallback((node: EditorNode) => {
    if (node.type === 'overlay') return node.data.color;
    return node.type === 'host' ? '#e7ecf3' : '#ffffff';
  }, []);

  const manyElements = nodes.length + edges.length > VISIBLE_ONLY_ABOVE;

  return (
    <div className="vx-canvas" onDragOver={onDragOver} onDragLeave={onDragLeave} onDrop={onDrop}>
      <ReactFlow<EditorNode, EditorEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDrag={onNodeDrag}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onNodeDoubleClick={onNodeDoubleClick}
        onNodeContextMenu={onNodeContextMenu}
        onPaneClick={onPaneClick}
        onMoveStart={onMoveStart}
        connectionMode={ConnectionMode.Loose}
        deleteKeyCode={null}
        zoomOnDoubleClick={false}
        onlyRenderVisibleElements={manyElements}
        minZoom={0.1}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
        aria-label="Lab topology"
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="#c9d1dc" />
        <Controls aria-label="Zoom controls" showInteractive={false} onFitView={() => fitLab(200)} />
        <MiniMap<EditorNode> className="vx-minimap" pannable zoomable ariaLabel="Overview of the lab" nodeColor={minimapColor} nodeStrokeWidth={2} />
      </ReactFlow>
    </div>
  );
}

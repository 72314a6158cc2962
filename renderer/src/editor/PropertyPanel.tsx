// Every field of the lab file for what is selected, and the lab's own fields when
// nothing is. Text edits apply on each keystroke (one undo step per field), so the
// problems update as you type; names apply on Enter or blur, since a rename also
// rewrites every reference to the old name.
import { memo, useCallback, useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { containersOf, getField, hostsOf, overlaysOf, underlayOf } from '../../../electron/lab/document';
import type { LabDocument } from '../../../electron/lab/document';
import { addContainer, attach, detach, moveContainer, nextContainerName, rename, setField } from '../../../electron/lab/edit-ops';
import type { NodeKind } from '../../../electron/lab/edit-ops';
import { DEFAULT_UNDERLAY_MTU, DEFAULT_VXLAN_PORT, VXLAN_OVERHEAD } from '../../../electron/lab/model';
import type { Problem } from '../../../electron/lab/model';
import { MAX_LAB_NAME_LENGTH } from '../../../electron/lab/names';
import { hostsOnOverlay } from '../../../electron/lab/tunnels';
import { overlayColor } from './colors';
import { idOf } from './elements';
import type { ElementInfo, ElementIndex, InterfaceInfo, TunnelInfo } from './elements';
import { NameField, numberOrText, SelectField, TextField } from './fields';
import type { LabEditorStore } from './store';
import type { RuntimeState } from './types';

interface PanelProps {
  store: LabEditorStore;
  doc: LabDocument | undefined;
  elements: ElementIndex;
  selection: readonly string[];
  problems: readonly Problem[];
  focusPath: string | undefined;
  runtime: RuntimeState | undefined;
  openTerminal: ((node: string) => void) | undefined;
}

type Edit = (path: string, value: unknown) => void;

function useEdit(store: LabEditorStore): { text: (path: string) => (raw: string) => void; number: (path: string) => (raw: string) => void; set: Edit } {
  const set = useCallback<Edit>((path, value) => void store.apply((doc) => setField(doc, path, value), { coalesce: path }), [store]);
  return {
    set,
    text: (path) => (raw) => set(path, raw === '' ? undefined : raw),
    number: (path) => (raw) => set(path, numberOrText(raw)),
  };
}

function problemsAt(problems: readonly Problem[], path: string): Problem[] {
  return problems.filter((problem) => problem.path === path);
}

/** Problems about an entry as a whole (`hosts[1]`) rather than one of its fields. */
function entryProblems(problems: readonly Problem[], path: string, fields: readonly string[]): Problem[] {
  return problems.filter((problem) => problem.path === path || (problem.path.startsWith(`${path}.`) && !fields.some((field) => problem.path.startsWith(`${path}.${field}`))));
}

function Section({ title, children, kind }: { title: ReactNode; children: ReactNode; kind?: string }) {
  return (
    <section className={`vx-props-section${kind ? ` vx-props-${kind}` : ''}`}>
      <h3 className="vx-props-heading">{title}</h3>
      {children}
    </section>
  );
}

function EntryProblems({ problems }: { problems: readonly Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="vx-field-problems">
      {problems.map((problem, index) => (
        <li key={index}>{problem.message}</li>
      ))}
    </ul>
  );
}

function RuntimeLine({ runtime, name }: { runtime: RuntimeState | undefined; name: string }) {
  const state = runtime?.[name];
  if (state === undefined) return null;
  return (
    <p className={`vx-runtime-line vx-badge-${state.state}`}>
      State: {state.state}
      {state.detail ? ` (${state.detail})` : ''}
    </p>
  );
}

export const PropertyPanel = memo(function PropertyPanel(props: PanelProps) {
  const { doc, elements, selection, focusPath } = props;
  const panel = useRef<HTMLElement>(null);

  // A problem clicked in the list puts the cursor in the field to fix.
  useEffect(() => {
    if (focusPath === undefined) return;
    const field = panel.current?.querySelector<HTMLElement>(`[data-path="${CSS.escape(focusPath)}"]`);
    field?.focus();
  }, [focusPath, selection]);

  let body: ReactNode;
  if (doc === undefined) {
    body = <p className="vx-muted">This file is not a lab the editor can show. Fix the problems below in a text editor and open it again.</p>;
  } else if (selection.length > 1) {
    body = <MultiSelection {...props} doc={doc} />;
  } else {
    const info = selection[0] === undefined ? undefined : elements.byId.get(selection[0]);
    if (info === undefined) body = <LabFields {...props} doc={doc} />;
    else if (info.kind === 'interface') body = <InterfaceFields {...props} doc={doc} info={info} />;
    else if (info.kind === 'tunnel') body = <TunnelFields {...props} doc={doc} info={info} />;
    else if (info.kind === 'host') body = <HostFields {...props} doc={doc} info={info} />;
    else if (info.kind === 'container') body = <ContainerFields {...props} doc={doc} info={info} />;
    else body = <OverlayFields {...props} doc={doc} info={info} />;
  }
  return (
    <aside className="vx-properties" aria-label="Properties" ref={panel}>
      <h2 className="vx-panel-title">Properties</h2>
      {body}
    </aside>
  );
});

type Loaded = PanelProps & { doc: LabDocument };

function LabFields({ store, doc, problems }: Loaded) {
  const edit = useEdit(store);
  const underlayMtu = getField(doc, 'underlay.mtu');
  return (
    <Section title="Lab" kind="lab">
      <TextField label="Name" path="name" value={doc.name} problems={problemsAt(problems, 'name')} onChange={edit.text('name')} hint={`A DNS label of at most ${MAX_LAB_NAME_LENGTH} characters; it prefixes every Docker object of the lab.`} />
      <TextField label="Title" path="title" value={doc.title} problems={problemsAt(problems, 'title')} onChange={edit.text('title')} />
      <TextField label="Description" path="description" value={doc.description} problems={problemsAt(problems, 'description')} onChange={edit.text('description')} multiline />
      <TextField label="Underlay subnet" path="underlay.subnet" value={underlayOf(doc).subnet} problems={problemsAt(problems, 'underlay.subnet')} onChange={edit.text('underlay.subnet')} placeholder="192.168.1.0/24" />
      <TextField
        label="Underlay MTU"
        path="underlay.mtu"
        value={underlayMtu}
        problems={problemsAt(problems, 'underlay.mtu')}
        onChange={edit.number('underlay.mtu')}
        placeholder={`${DEFAULT_UNDERLAY_MTU} (default)`}
        numeric
      />
      <EntryProblems problems={problems.filter((problem) => problem.path === 'underlay' || problem.path === 'version' || problem.path === 'hosts' || problem.path === '')} />
    </Section>
  );
}

function namesTaken(doc: LabDocument, kind: NodeKind): (name: string) => boolean {
  return (name) =>
    kind === 'overlay'
      ? overlaysOf(doc).some((overlay) => overlay.name === name)
      : [...hostsOf(doc), ...containersOf(doc)].some((entry) => entry.name === name);
}

function useRename(store: LabEditorStore, info: ElementInfo): (name: string) => void {
  return useCallback(
    (name: string) => {
      store.apply((doc) => rename(doc, info.kind, info.name, name, info.index), { select: [info.primary ? idOf(info.kind, name) : info.id] });
    },
    [store, info],
  );
}

function TerminalButton({ name, openTerminal }: { name: string; openTerminal: ((node: string) => void) | undefined }) {
  if (openTerminal === undefined || name === '') return null;
  return (
    <button type="button" className="vx-button" aria-label={`Open terminal in ${name}`} onClick={() => openTerminal(name)}>
      Open terminal
    </button>
  );
}

function HostFields({ store, doc, info, problems, runtime, openTerminal }: Loaded & { info: ElementInfo }) {
  const edit = useEdit(store);
  const onRename = useRename(store, info);
  const base = `hosts[${info.index}]`;
  const containers = containersOf(doc).filter((container) => container.host === info.name);
  return (
    <Section title={<>Host <strong>{info.name}</strong></>} kind="host">
      <RuntimeLine runtime={runtime} name={info.name} />
      <NameField label="Name" path={`${base}.name`} value={info.name} problems={problemsAt(problems, `${base}.name`)} isTaken={namesTaken(doc, 'host')} onCommit={onRename} />
      <TextField label="Underlay IP" path={`${base}.ip`} value={getField(doc, `${base}.ip`)} problems={problemsAt(problems, `${base}.ip`)} onChange={edit.text(`${base}.ip`)} hint={`In ${String(underlayOf(doc).subnet ?? 'the underlay subnet')}.`} />
      <EntryProblems problems={entryProblems(problems, base, ['name', 'ip'])} />
      <h4 className="vx-props-subheading">Containers</h4>
      {containers.length === 0 ? (
        <p className="vx-muted">None yet.</p>
      ) : (
        <ul className="vx-link-list">
          {containers.map((container) => (
            <li key={container.index}>
              <button type="button" className="vx-link" onClick={() => store.select([elementIndexOf(store).idOfName('container', container.name) ?? ''])}>
                {container.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="vx-button-row">
        <button
          type="button"
          className="vx-button"
          aria-label={`Add container to ${info.name}`}
          onClick={() => {
            const name = nextContainerName(doc);
            store.apply((current) => addContainer(current, info.name, { name }), { select: [idOf('container', name)] });
          }}
        >
          Add container
        </button>
        <TerminalButton name={info.name} openTerminal={openTerminal} />
      </div>
    </Section>
  );
}

function elementIndexOf(store: LabEditorStore): ElementIndex {
  return store.getState().elements;
}

function ContainerFields({ store, doc, info, problems, runtime, openTerminal }: Loaded & { info: ElementInfo }) {
  const edit = useEdit(store);
  const onRename = useRename(store, info);
  const base = `containers[${info.index}]`;
  const entry = containersOf(doc).find((container) => container.index === info.index);
  const hostNames = hostsOf(doc).map((host) => host.name).filter((name) => name !== '');
  const overlayNames = overlaysOf(doc).map((overlay) => overlay.name).filter((name) => name !== '');
  const vniOf = new Map(overlaysOf(doc).map((overlay) => [overlay.name, overlay.vni]));
  if (entry === undefined) return null;
  const unattached = overlayNames.filter((name) => !entry.interfaces.some((iface) => iface.overlay === name));
  const onHost = (host: string) => {
    if (info.primary) store.apply((current) => moveContainer(current, info.name, host));
    else edit.set(`${base}.host`, host);
  };
  return (
    <Section title={<>Container <strong>{info.name}</strong></>} kind="container">
      <RuntimeLine runtime={runtime} name={info.name} />
      <NameField label="Name" path={`${base}.name`} value={info.name} problems={problemsAt(problems, `${base}.name`)} isTaken={namesTaken(doc, 'container')} onCommit={onRename} />
      <SelectField label="Host" path={`${base}.host`} value={entry.host} options={hostNames} problems={problemsAt(problems, `${base}.host`)} onChange={onHost} />
      <TextField
        label="Image"
        path={`${base}.image`}
        value={getField(doc, `${base}.image`)}
        problems={problemsAt(problems, `${base}.image`)}
        onChange={edit.text(`${base}.image`)}
        placeholder="vxlab node image (default)"
        hint="Must already be on the engine: no registry is used."
      />
      <EntryProblems problems={entryProblems(problems, base, ['name', 'host', 'image', 'interfaces['])} />
      <h4 className="vx-props-subheading">Interfaces</h4>
      {entry.interfaces.length === 0 && <p className="vx-muted">Not attached to any overlay network.</p>}
      {entry.interfaces.map((iface, position) => {
        const path = `${base}.interfaces[${iface.index}]`;
        return (
          <fieldset key={iface.index} className="vx-interface">
            <legend>
              <span className="vx-dot" style={{ background: overlayColor(vniOf.get(iface.overlay)) }} aria-hidden="true" />
              eth{position} on {iface.overlay || '?'}
            </legend>
            <SelectField label={`Overlay of eth${position}`} path={`${path}.overlay`} value={iface.overlay} options={overlayNames} problems={problemsAt(problems, `${path}.overlay`)} onChange={(value) => edit.set(`${path}.overlay`, value)} />
            <TextField label={`IP address on ${iface.overlay || 'the overlay'}`} path={`${path}.ip`} value={getField(doc, `${path}.ip`)} problems={problemsAt(problems, `${path}.ip`)} onChange={edit.text(`${path}.ip`)} />
            <button type="button" className="vx-button vx-button-quiet" aria-label={`Detach ${info.name} from ${iface.overlay}`} onClick={() => store.apply((current) => detach(current, info.name, iface.overlay))}>
              Detach
            </button>
          </fieldset>
        );
      })}
      {unattached.length > 0 && info.primary && (
        <div className="vx-field">
          <label htmlFor={`attach-${info.id}`}>Attach to overlay network</label>
          <select id={`attach-${info.id}`} value="" onChange={(event) => event.target.value && store.apply((current) => attach(current, info.name, event.target.value))}>
            <option value="">Choose a network…</option>
            {unattached.map((name) => (
              <option key={name} value={name}>
                {name} (VNI {vniOf.get(name) ?? '?'})
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="vx-button-row">
        <TerminalButton name={info.name} openTerminal={openTerminal} />
      </div>
    </Section>
  );
}

function OverlayFields({ store, doc, info, problems }: Loaded & { info: ElementInfo }) {
  const edit = useEdit(store);
  const onRename = useRename(store, info);
  const base = `overlays[${info.index}]`;
  const underlayMtu = typeof underlayOf(doc).mtu === 'number' ? (underlayOf(doc).mtu as number) : DEFAULT_UNDERLAY_MTU;
  const members = containersOf(doc).flatMap((container) => container.interfaces.filter((iface) => iface.overlay === info.name).map((iface) => ({ container: container.name, ip: iface.ip })));
  const hosts = hostsOnOverlay(doc, info.name);
  return (
    <Section title={<>Overlay <strong>{info.name}</strong></>} kind="overlay">
      <NameField label="Name" path={`${base}.name`} value={info.name} problems={problemsAt(problems, `${base}.name`)} isTaken={namesTaken(doc, 'overlay')} onCommit={onRename} />
      <TextField label="VNI" path={`${base}.vni`} value={getField(doc, `${base}.vni`)} problems={problemsAt(problems, `${base}.vni`)} onChange={edit.number(`${base}.vni`)} numeric hint="1 to 16777215, unique in the lab." />
      <TextField label="Subnet" path={`${base}.subnet`} value={getField(doc, `${base}.subnet`)} problems={problemsAt(problems, `${base}.subnet`)} onChange={edit.text(`${base}.subnet`)} placeholder="10.0.0.0/16" />
      <TextField label="UDP port" path={`${base}.port`} value={getField(doc, `${base}.port`)} problems={problemsAt(problems, `${base}.port`)} onChange={edit.number(`${base}.port`)} placeholder={`${DEFAULT_VXLAN_PORT} (default)`} numeric />
      <TextField
        label="MTU"
        path={`${base}.mtu`}
        value={getField(doc, `${base}.mtu`)}
        problems={problemsAt(problems, `${base}.mtu`)}
        onChange={edit.number(`${base}.mtu`)}
        placeholder={`${underlayMtu - VXLAN_OVERHEAD} (default)`}
        numeric
        hint={`At most the underlay MTU minus ${VXLAN_OVERHEAD}.`}
      />
      <EntryProblems problems={entryProblems(problems, base, ['name', 'vni', 'subnet', 'port', 'mtu'])} />
      <h4 className="vx-props-subheading">Members</h4>
      {members.length === 0 ? (
        <p className="vx-muted">No container is attached yet.</p>
      ) : (
        <ul className="vx-member-list">
          {members.map((member) => (
            <li key={member.container}>
              <span>{member.container}</span> <span className="vx-ip">{member.ip}</span>
            </li>
          ))}
        </ul>
      )}
      {hosts.length > 1 && <p className="vx-muted">Tunnels between {hosts.join(', ')}.</p>}
    </Section>
  );
}

function InterfaceFields({ store, doc, info, problems }: Loaded & { info: InterfaceInfo }) {
  const edit = useEdit(store);
  const path = `containers[${info.containerIndex}].interfaces[${info.index}]`;
  return (
    <Section title={<>Interface of <strong>{info.container}</strong> on <strong>{info.overlay}</strong></>} kind="interface">
      <TextField label={`IP address on ${info.overlay}`} path={`${path}.ip`} value={getField(doc, `${path}.ip`)} problems={problemsAt(problems, `${path}.ip`)} onChange={edit.text(`${path}.ip`)} />
      <div className="vx-button-row">
        <button type="button" className="vx-button" onClick={() => store.select([info.containerId])}>
          Show container
        </button>
        <button type="button" className="vx-button vx-button-quiet" onClick={() => store.apply((current) => detach(current, info.container, info.overlay), { select: [info.containerId] })}>
          Detach
        </button>
      </div>
    </Section>
  );
}

function TunnelFields({ store, doc, info }: Loaded & { info: TunnelInfo }) {
  const [a, b] = info.hosts;
  const overlay = overlaysOf(doc).find((candidate) => candidate.name === info.overlay);
  return (
    <Section title={<>Tunnel <strong>VNI {info.vni}</strong></>} kind="tunnel">
      <p>
        {a} and {b} both have a container on <strong>{overlay?.name ?? '?'}</strong>, so each floods that VNI to the other over UDP port{' '}
        {overlay?.port ?? DEFAULT_VXLAN_PORT}. Tunnels follow from attachments; there is nothing to edit here.
      </p>
      {overlay && (
        <button type="button" className="vx-button" onClick={() => store.select([store.getState().elements.idOfName('overlay', overlay.name) ?? ''])}>
          Show overlay
        </button>
      )}
    </Section>
  );
}

function MultiSelection({ store, selection }: Loaded) {
  return (
    <Section title={`${selection.length} selected`}>
      <div className="vx-button-row">
        <button type="button" className="vx-button" onClick={() => store.copySelection()}>
          Copy
        </button>
        <button type="button" className="vx-button vx-button-danger" onClick={() => store.deleteSelection()}>
          Delete
        </button>
      </div>
    </Section>
  );
}

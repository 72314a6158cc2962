// A capture in a node: its settings (interface, BPF filter), Stop and Capture again,
// the packet list with its text and VNI filters, the selected packet layer by layer,
// the paired view against another open capture, and Save as .pcap.
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { FormEvent } from 'react';
import { wiresharkDecodeHint } from '../../../electron/packets/pcap';
import type { CaptureSession } from './capture-session';
import { LayerView } from './LayerView';
import { PacketList } from './PacketList';
import { isFiltering, MAX_FILTER_TEXT, NO_FILTER, packetFilter, parseVniChoice, vniChoiceValue } from './packet-filter';
import type { PacketFilter } from './packet-filter';
import { PairedView } from './PairedView';
import { capturePcap, downloadPcap, pcapFileName } from './save-pcap';
import type { XrayPanel, XrayStore } from './xray-store';

type CapturePanelData = Extract<XrayPanel, { kind: 'capture' }>;

export interface CapturePanelProps {
  store: XrayStore;
  panel: CapturePanelData;
}

const NUMBER = new Intl.NumberFormat('en-US');

export function CapturePanel({ store, panel }: CapturePanelProps) {
  const session = panel.capture;
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const xray = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [filter, setFilter] = useState<PacketFilter>(NO_FILTER);
  const [selected, setSelected] = useState<number | undefined>();
  const [follow, setFollow] = useState(true);
  const [pairKey, setPairKey] = useState('');

  // A restarted capture is a new session: its list starts empty, nothing selected.
  useEffect(() => {
    setSelected(undefined);
    setFollow(true);
  }, [session]);

  const { version } = snapshot;
  // The ring is mutable: `version` says when its packets changed.
  const shown = useMemo(() => session.packets.filter(packetFilter(filter)), [session, version, filter]);
  const selectedPacket = useMemo(() => (selected === undefined ? undefined : session.packets.find((packet) => packet.seq === selected)), [session, selected, version]);
  const decoded = useMemo(() => (selectedPacket ? session.decode(selectedPacket) : undefined), [session, selectedPacket]);

  useEffect(() => {
    store.focusPacket(panel.key, selectedPacket?.keys);
  }, [store, panel.key, selectedPacket]);

  const others = xray.panels.filter((other): other is CapturePanelData => other.kind === 'capture' && other.key !== panel.key);
  const pair = others.find((other) => other.key === pairKey);
  const where = snapshot.started ? `${snapshot.started.node} ${snapshot.started.iface}` : panel.node;
  const hint = snapshot.started ? wiresharkDecodeHint(snapshot.started.vxlanPorts) : undefined;

  const select = (seq: number) => {
    setSelected(seq);
    setFollow(false);
  };

  return (
    <div className="xr-capture" role="region" aria-label={panel.title}>
      <CaptureSettings panel={panel} store={store} session={session} />
      <div className="xr-capture-status" role="status" aria-live="polite">
        <StateLine where={where} snapshot={snapshot} />
        <span className="xr-count">
          {NUMBER.format(snapshot.received)} {snapshot.received === 1 ? 'packet' : 'packets'}
          {isFiltering(filter) ? `, ${NUMBER.format(shown.length)} shown` : ''}
        </span>
        {snapshot.dropped > 0 && (
          <span className="xr-badge xr-badge-warn">
            {NUMBER.format(snapshot.dropped)} oldest dropped (keeps the newest {NUMBER.format(snapshot.kept)})
          </span>
        )}
        {snapshot.unreadable > 0 && <span className="xr-badge xr-badge-danger">{NUMBER.format(snapshot.unreadable)} unreadable frames skipped</span>}
      </div>
      <div className="xr-filters">
        <input
          type="search"
          aria-label="Filter packets by text"
          placeholder="Filter: address, protocol, info…"
          maxLength={MAX_FILTER_TEXT}
          value={filter.text}
          onChange={(event) => setFilter({ ...filter, text: event.target.value })}
        />
        <select aria-label="Filter packets by VNI" value={vniChoiceValue(filter.vni)} onChange={(event) => setFilter({ ...filter, vni: parseVniChoice(event.target.value) })}>
          <option value="all">Any VNI</option>
          <option value="none">No VXLAN</option>
          {snapshot.vnis.map((vni) => (
            <option key={vni} value={String(vni)}>
              VNI {vni}
            </option>
          ))}
        </select>
        <label className="xr-check">
          <input type="checkbox" checked={follow} onChange={(event) => setFollow(event.target.checked)} />
          Follow new packets
        </label>
        <button type="button" disabled={snapshot.kept === 0} onClick={() => downloadPcap(capturePcap(session), pcapFileName(panel.lab, panel.node, snapshot.started?.iface))}>
          Save as .pcap
        </button>
        {hint && (
          <span className="xr-hint" title="Wireshark decodes VXLAN only on UDP 4789 unless told">
            Wireshark/tshark: <code>{hint}</code>
          </span>
        )}
      </div>
      <div className="xr-capture-body">
        <PacketList
          packets={shown}
          selected={selected}
          onSelect={select}
          firstTimeUs={snapshot.firstTimeUs ?? 0}
          label={`Packets of ${where}`}
          idPrefix={panel.key}
          follow={follow}
        />
        <div className="xr-detail">
          {selectedPacket && decoded ? (
            <>
              <LayerView packet={decoded} bytes={selectedPacket.bytes} label={`Layers of packet ${selectedPacket.seq}`} />
              <div className="xr-pair-choice">
                <label>
                  Paired view with{' '}
                  <select aria-label="Pair with another capture" value={pairKey} onChange={(event) => setPairKey(event.target.value)}>
                    <option value="">(none)</option>
                    {others.map((other) => (
                      <option key={other.key} value={other.key}>
                        {other.label}
                      </option>
                    ))}
                  </select>
                </label>
                {others.length === 0 && <span className="xr-muted"> Capture on a second node (for example the host's underlay) to compare.</span>}
              </div>
              {pair && (
                <PairedCapture left={{ session, packet: selectedPacket, label: where }} right={pair} />
              )}
            </>
          ) : (
            <p className="xr-muted">Select a packet to see its layers.</p>
          )}
        </div>
      </div>
    </div>
  );
}

function PairedCapture({ left, right }: { left: Parameters<typeof PairedView>[0]['left']; right: CapturePanelData }) {
  const snapshot = useSyncExternalStore(right.capture.subscribe, right.capture.getSnapshot);
  const label = snapshot.started ? `${snapshot.started.node} ${snapshot.started.iface}` : right.node;
  return <PairedView left={left} right={{ session: right.capture, label }} rightVersion={snapshot.version} />;
}

function StateLine({ where, snapshot }: { where: string; snapshot: ReturnType<CaptureSession['getSnapshot']> }) {
  switch (snapshot.state) {
    case 'starting':
      return <span className="xr-state">Starting a capture on {where}…</span>;
    case 'running':
      return <span className="xr-state xr-state-live">Capturing on {where}</span>;
    case 'ended':
      return (
        <span className="xr-state">
          Capture on {where} ended{snapshot.endReason ? `: ${snapshot.endReason}` : ''}
        </span>
      );
    case 'failed':
      return (
        <span className="xr-state xr-state-failed">
          Could not capture on {where}: {snapshot.error?.message}
          {snapshot.error?.hint ? ` ${snapshot.error.hint}` : ''} <code>{snapshot.error?.code}</code>
        </span>
      );
  }
}

function CaptureSettings({ panel, store, session }: { panel: CapturePanelData; store: XrayStore; session: CaptureSession }) {
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const [iface, setIface] = useState(session.target.iface ?? '');
  const [bpf, setBpf] = useState(session.target.filter ?? '');
  const live = snapshot.state === 'running' || snapshot.state === 'starting';

  const restart = (event: FormEvent) => {
    event.preventDefault();
    store.restartCapture(panel.key, { ...(iface.trim() ? { iface: iface.trim() } : {}), ...(bpf.trim() ? { filter: bpf.trim() } : {}) });
  };

  return (
    <form className="xr-settings" onSubmit={restart} aria-label={`Capture settings for ${panel.node}`}>
      <label>
        Interface
        <input value={iface} onChange={(event) => setIface(event.target.value)} placeholder={snapshot.started?.iface ?? 'default'} maxLength={15} size={10} />
      </label>
      <label>
        Capture filter (BPF)
        <input value={bpf} onChange={(event) => setBpf(event.target.value)} placeholder="e.g. icmp or udp port 4789" maxLength={512} size={24} />
      </label>
      <button type="submit">{live ? 'Restart capture' : 'Capture again'}</button>
      <button type="button" disabled={!live} onClick={() => void session.stop()}>
        Stop
      </button>
    </form>
  );
}

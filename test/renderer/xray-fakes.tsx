// What the x-ray's renderer tests share: frames from the project's own pcap fixtures as
// 'capture-frames' carry them, the packet walk and host-a's tables as X3's engine
// answered them (test/fixtures/trace), a fake client that starts captures and watches,
// and a harness that shows every open x-ray panel as the dock would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useSyncExternalStore } from 'react';
import { render } from '@testing-library/react';
import type { TraceResult, VtepView } from '../../electron/api/contract';
import { readPcap } from '../../electron/packets/pcap';
import type { WireFrame } from '../../renderer/src/xray/api';
import { XrayPanel } from '../../renderer/src/xray/XrayPanel';
import type { XrayOptions } from '../../renderer/src/xray/xray-store';
import { XrayStore } from '../../renderer/src/xray/xray-store';
import type { Handlers } from './app-fakes';
import { FakeClient } from './app-fakes';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/** host-a's eth0 during a ping from container1 to container2: underlay ARP, inner ARP in VXLAN (VNI 42), 4 ICMP. */
export const PING_UNDERLAY = 'vxlan-4789-ping-underlay.pcap';
/** container1's eth0 during that same ping. */
export const PING_CONTAINER = 'vxlan-4789-ping-container.pcap';

export function wireFrames(fixture: string): WireFrame[] {
  const { frames, problem } = readPcap(new Uint8Array(readFileSync(join(FIXTURES, fixture))));
  if (problem) throw new Error(`${fixture}: ${problem}`);
  return frames.map((frame) => ({ index: frame.index, timeUs: frame.timeUs, originalLength: frame.originalLength, data: Buffer.from(frame.bytes).toString('base64') }));
}

export function traceResult(): TraceResult {
  return JSON.parse(readFileSync(join(FIXTURES, 'trace', 'trace-result.json'), 'utf8')) as TraceResult;
}

export function hostAView(): VtepView {
  return JSON.parse(readFileSync(join(FIXTURES, 'trace', 'host-a-view.json'), 'utf8')) as VtepView;
}

/** A client whose captures start as `cap-1`, `cap-2`… and whose tables watches answer host-a's view. */
export function xrayClient(handlers: Handlers = {}): FakeClient {
  let captures = 0;
  return new FakeClient({
    'capture.start': ({ node, iface }) => ({ id: `cap-${++captures}`, node, iface: iface ?? 'eth0', vxlanPorts: [4789], linkType: 1 }),
    'capture.stop': () => null,
    'lab.trace': () => traceResult(),
    'tables.watch': ({ host }) => ({ id: `watch-${host}`, view: hostAView() }),
    'tables.unwatch': () => null,
    ...handlers,
  });
}

/** Every open x-ray panel, each in a region of its own, as the dock shows them. */
function Panels({ store }: { store: XrayStore }) {
  const { panels } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return (
    <div style={{ height: 600 }}>
      {panels.map((panel) => (
        <XrayPanel key={panel.key} store={store} panel={panel} />
      ))}
    </div>
  );
}

export function renderXray(client: FakeClient, options: XrayOptions = {}) {
  const store = new XrayStore(client, options);
  const view = render(<Panels store={store} />);
  return { store, ...view };
}

// One x-ray tab's content in the dock: a capture, a packet walk or a host's tables.
import './xray.css';
import { CapturePanel } from './CapturePanel';
import { TablesPanel } from './TablesPanel';
import { TracePanel } from './TracePanel';
import type { XrayPanel as XrayPanelData, XrayStore } from './xray-store';

export interface XrayPanelProps {
  store: XrayStore;
  panel: XrayPanelData;
}

export function XrayPanel({ store, panel }: XrayPanelProps) {
  switch (panel.kind) {
    case 'capture':
      return <CapturePanel store={store} panel={panel} />;
    case 'trace':
      return <TracePanel panel={panel} destinations={panel.destinations} />;
    case 'tables':
      return <TablesPanel store={store} panel={panel} />;
  }
}

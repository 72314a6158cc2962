// The x-ray's view of the contract: capture.*, lab.trace and tables.* and their events.
// One place that knows the method names, so the panels and the store stay typed on
// plain data and tests drive them with the app's fake client.
import type { ApiClient, ApiEvent, CaptureFrame, CaptureStarted, TableChange, TraceDecision, TraceHop, TraceResult, TraceRole, VtepView } from '../../../electron/api/contract';

export type { CaptureStarted, TableChange, TraceDecision, TraceHop, TraceResult, TraceRole, VtepView };

/** A frame as the contract carries it: its bytes in base64. */
export type WireFrame = CaptureFrame;

export interface CaptureStartParams {
  lab: string;
  node: string;
  iface?: string;
  filter?: string;
  count?: number;
}

export type XrayEvent = Extract<ApiEvent, { type: 'capture-frames' | 'capture-ended' | 'tables-changed' }>;

export interface XrayApi {
  readonly mode: 'desktop' | 'browser';
  startCapture(params: CaptureStartParams): Promise<CaptureStarted>;
  stopCapture(id: string): Promise<void>;
  trace(params: { lab: string; from: string; dest: string }): Promise<TraceResult>;
  watchTables(params: { lab: string; host: string }): Promise<{ id: string; view: VtepView }>;
  unwatchTables(id: string): Promise<void>;
  onEvent(listener: (event: XrayEvent) => void): () => void;
}

const XRAY_EVENTS = new Set(['capture-frames', 'capture-ended', 'tables-changed']);

function isXrayEvent(event: ApiEvent): event is XrayEvent {
  return XRAY_EVENTS.has(event.type);
}

export function xrayApi(client: ApiClient): XrayApi {
  return {
    mode: client.mode,
    startCapture: (params) => client.request('capture.start', params),
    stopCapture: async (id) => void (await client.request('capture.stop', { id })),
    trace: (params) => client.request('lab.trace', params),
    watchTables: (params) => client.request('tables.watch', params),
    unwatchTables: async (id) => void (await client.request('tables.unwatch', { id })),
    onEvent: (listener) =>
      client.onEvent((event) => {
        if (isXrayEvent(event)) listener(event);
      }),
  };
}

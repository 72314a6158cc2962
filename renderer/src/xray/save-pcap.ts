// Saving a capture as a .pcap file Wireshark and tshark open. In the browser it is a
// download; the desktop app's window turns the same download into a native save dialog,
// so no request carries the bytes and the contract's text-only file.save is not needed.
import { writePcap } from '../../../electron/packets/pcap';
import { downloadBlob } from '../app/files';
import type { CaptureSession } from './capture-session';

export function pcapFileName(lab: string, node: string, iface: string | undefined): string {
  const safe = (part: string) => part.replace(/[^A-Za-z0-9_.@-]+/g, '_');
  return `${[lab, node, iface].filter((part): part is string => !!part).map(safe).join('-')}.pcap`;
}

export function capturePcap(session: CaptureSession): Uint8Array {
  return writePcap(session.frames(), session.getSnapshot().started?.linkType);
}

export function downloadPcap(bytes: Uint8Array, fileName: string): void {
  downloadBlob(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/vnd.tcpdump.pcap' }), fileName);
}

// Which packets the list shows: those whose summary holds the typed text (any case),
// on the chosen VNI. Pure, so the list and its tests agree on one rule.
import type { CapturedPacket } from './capture-session';

/** 'all': any packet; 'none': packets outside any VXLAN tunnel; a number: that VNI only. */
export type VniChoice = 'all' | 'none' | number;

export interface PacketFilter {
  text: string;
  vni: VniChoice;
}

export const NO_FILTER: PacketFilter = { text: '', vni: 'all' };

/** The longest text filter taken: a longer one could not match a summary line anyway. */
export const MAX_FILTER_TEXT = 200;

export function isFiltering(filter: PacketFilter): boolean {
  return filter.text.trim() !== '' || filter.vni !== 'all';
}

export function packetFilter(filter: PacketFilter): (packet: CapturedPacket) => boolean {
  const words = filter.text.trim().slice(0, MAX_FILTER_TEXT).toLowerCase().split(/\s+/).filter(Boolean);
  const vni = filter.vni;
  return (packet) => {
    const packetVni = packet.summary.vni;
    if (vni === 'none' && packetVni !== undefined) return false;
    if (typeof vni === 'number' && packetVni !== vni) return false;
    if (words.length === 0) return true;
    const { source, destination, protocol, info } = packet.summary;
    const text = `${source} ${destination} ${protocol} ${info} ${packetVni === undefined ? '' : `vni ${packetVni}`}`.toLowerCase();
    return words.every((word) => text.includes(word));
  };
}

/** The VNI select's value for a choice, and back. */
export function vniChoiceValue(choice: VniChoice): string {
  return String(choice);
}

export function parseVniChoice(value: string): VniChoice {
  if (value === 'all' || value === 'none') return value;
  const vni = Number(value);
  return Number.isInteger(vni) && vni >= 0 && vni < 2 ** 24 ? vni : 'all';
}

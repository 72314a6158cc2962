// How the layer view names layers and sums them up in one line: "Outer IPv4
// 192.168.1.10 → 192.168.1.20", "VXLAN VNI 42". Pure, from the decoder's fields.
import { layerTitle } from '../../../electron/packets/decode';
import type { DecodedPacket, Field, Layer } from '../../../electron/packets/decode';

export function isEncapsulated(packet: DecodedPacket): boolean {
  return packet.layers.some((layer) => layer.kind === 'vxlan' && !layer.inner);
}

/** "Outer Ethernet II", "Inner IPv4", "VXLAN", or plain "IPv4" in a packet without a tunnel. */
export function layerName(layer: Layer, encapsulated: boolean): string {
  const outer = encapsulated && !layer.inner && layer.kind !== 'vxlan' && layer.kind !== 'payload';
  return `${outer ? 'Outer ' : ''}${layerTitle(layer)}`;
}

/** A field as the paired view's differences name it (electron/packets/pairing): "Outer IPv4 Time to live". */
export function differenceName(layer: Layer, field: Field, encapsulated: boolean): string {
  return `${encapsulated && !layer.inner ? 'Outer ' : ''}${layerTitle({ kind: layer.kind, inner: false })} ${field.label}`;
}

function fieldEnding(layer: Layer, ...endings: string[]): Field | undefined {
  for (const ending of endings) {
    const field = layer.fields.find((candidate) => candidate.name === ending || candidate.name.endsWith(`.${ending}`));
    if (field) return field;
  }
  return undefined;
}

/** The few values that say what a layer is about. */
export function layerGist(layer: Layer): string {
  const pair = (a: Field | undefined, b: Field | undefined) => (a && b ? `${a.value} → ${b.value}` : '');
  switch (layer.kind) {
    case 'ethernet':
      return pair(fieldEnding(layer, 'src'), fieldEnding(layer, 'dst'));
    case 'ipv4':
      return pair(fieldEnding(layer, 'src'), fieldEnding(layer, 'dst'));
    case 'arp':
      return pair(fieldEnding(layer, 'src.proto_ipv4', 'spa'), fieldEnding(layer, 'dst.proto_ipv4', 'tpa'));
    case 'udp':
    case 'tcp':
      return pair(fieldEnding(layer, 'srcport'), fieldEnding(layer, 'dstport'));
    case 'vxlan': {
      const vni = fieldEnding(layer, 'vni');
      return vni ? `VNI ${vni.value}` : '';
    }
    case 'icmp': {
      // "8 (Echo (ping) request)": the name reads better than the number.
      const type = fieldEnding(layer, 'type')?.value.replace(/^\d+ \((.*)\)$/, '$1') ?? '';
      const seq = fieldEnding(layer, 'seq');
      return seq ? `${type} seq ${seq.value}` : type;
    }
    default:
      return `${layer.length} bytes`;
  }
}

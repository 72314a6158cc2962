// The same packet seen in two captures, side by side, with what changed between the
// two places (for example container1's eth0 and host-a's underlay: the 50 bytes of
// VXLAN appear, the TTL stays). Packets are matched on inner addresses, IP ID and ICMP
// id/sequence (electron/packets/pairing).
import { useMemo } from 'react';
import { packetDifferences, samePacket } from '../../../electron/packets/pairing';
import type { CaptureSession, CapturedPacket } from './capture-session';
import { LayerView } from './LayerView';

export interface PairedViewProps {
  left: { session: CaptureSession; packet: CapturedPacket; label: string };
  right: { session: CaptureSession; label: string };
  /** The right capture's version: a match may arrive later. */
  rightVersion: number;
}

export function PairedView({ left, right, rightVersion }: PairedViewProps) {
  const match = useMemo(
    () => right.session.packets.find((candidate) => samePacket(left.packet.keys, candidate.keys)),
    // The ring is mutable: its version says when it changed.
    [right.session, left.packet, rightVersion],
  );
  const leftDecoded = useMemo(() => left.session.decode(left.packet), [left.session, left.packet]);
  const rightDecoded = useMemo(() => (match ? right.session.decode(match) : undefined), [right.session, match]);
  const differences = useMemo(() => (rightDecoded ? packetDifferences(leftDecoded, rightDecoded) : []), [leftDecoded, rightDecoded]);
  const changed = useMemo(() => new Set(differences.map((difference) => difference.field)), [differences]);

  return (
    <section className="xr-paired" aria-label="Paired view">
      {!match || !rightDecoded ? (
        <p className="xr-muted" role="status">
          Packet {left.packet.seq} was not seen in {right.label} (yet). Pairing matches the inner addresses, the IP ID and the ICMP id and sequence.
        </p>
      ) : (
        <>
          <table className="xr-differences" aria-label="What changed">
            <caption>
              Packet {left.packet.seq} in {left.label} and packet {match.seq} in {right.label}:{' '}
              {differences.length === 0 ? 'no field changed' : `${differences.length} ${differences.length === 1 ? 'field' : 'fields'} changed`}
              {match.timeUs >= left.packet.timeUs ? `, ${match.timeUs - left.packet.timeUs} µs later` : `, ${left.packet.timeUs - match.timeUs} µs earlier`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">{left.label}</th>
                <th scope="col">{right.label}</th>
              </tr>
            </thead>
            <tbody>
              {differences.map((difference, index) => (
                <tr key={index}>
                  <th scope="row">{difference.field}</th>
                  <td>{difference.before}</td>
                  <td>{difference.after}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="xr-paired-sides">
            <LayerView packet={leftDecoded} bytes={left.packet.bytes} label={`Layers in ${left.label}`} changed={changed} compact />
            <LayerView packet={rightDecoded} bytes={match.bytes} label={`Layers in ${right.label}`} changed={changed} compact />
          </div>
        </>
      )}
    </section>
  );
}

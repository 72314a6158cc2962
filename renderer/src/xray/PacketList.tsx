// The capture's packets, one row each: number, time, source, destination, protocol,
// length and VNI. Only the rows in view are drawn, so a list of 50,000 scrolls as
// lightly as one of fifty. Arrow keys, Page Up/Down, Home and End move the selection.
import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { CapturedPacket } from './capture-session';

export const ROW_HEIGHT = 22;
/** Rows drawn above and below the view, so a quick scroll shows no gap. */
const OVERSCAN = 8;

export interface PacketListProps {
  packets: readonly CapturedPacket[];
  selected: number | undefined;
  onSelect(seq: number): void;
  /** The first packet's time: rows show seconds since it. */
  firstTimeUs: number;
  label: string;
  /** Makes the rows' element ids unique in the page. */
  idPrefix: string;
  /** Keep the newest row in view while packets arrive (until the person scrolls up). */
  follow: boolean;
}

export function formatSeconds(us: number): string {
  return (Math.max(0, us) / 1_000_000).toFixed(6);
}

export function PacketList({ packets, selected, onSelect, firstTimeUs, label, idPrefix, follow }: PacketListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewHeight, setViewHeight] = useState(400);

  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = () => setViewHeight(element.clientHeight || 400);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const element = scroller.current;
    if (!follow || !element) return;
    element.scrollTop = Math.max(0, packets.length * ROW_HEIGHT - element.clientHeight);
    setScrollTop(element.scrollTop);
  }, [follow, packets.length]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(packets.length, Math.ceil((scrollTop + viewHeight) / ROW_HEIGHT) + OVERSCAN);
  const rows = packets.slice(first, last);
  const selectedPosition = selected === undefined ? -1 : packets.findIndex((packet) => packet.seq === selected);

  const moveTo = (position: number) => {
    const packet = packets[Math.max(0, Math.min(packets.length - 1, position))];
    if (!packet) return;
    onSelect(packet.seq);
    const element = scroller.current;
    if (!element) return;
    const top = Math.max(0, Math.min(packets.length - 1, position)) * ROW_HEIGHT;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT > element.scrollTop + element.clientHeight) element.scrollTop = top + ROW_HEIGHT - element.clientHeight;
    setScrollTop(element.scrollTop);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const page = Math.max(1, Math.floor(viewHeight / ROW_HEIGHT) - 1);
    const at = selectedPosition;
    if (event.key === 'ArrowDown') moveTo(at + 1);
    else if (event.key === 'ArrowUp') moveTo(at < 0 ? 0 : at - 1);
    else if (event.key === 'PageDown') moveTo(at + page);
    else if (event.key === 'PageUp') moveTo(at - page);
    else if (event.key === 'Home') moveTo(0);
    else if (event.key === 'End') moveTo(packets.length - 1);
    else return;
    event.preventDefault();
  };

  return (
    <div
      className="xr-packet-list"
      role="grid"
      aria-label={label}
      aria-rowcount={packets.length + 1}
      aria-activedescendant={selectedPosition >= 0 ? `${idPrefix}-row-${selected}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div className="xr-row xr-row-head" role="row" aria-rowindex={1}>
        {['No.', 'Time', 'Source', 'Destination', 'Protocol', 'Length', 'VNI', 'Info'].map((name) => (
          <span key={name} role="columnheader" className={`xr-col xr-col-${name.replace('.', '').toLowerCase()}`}>
            {name}
          </span>
        ))}
      </div>
      <div className="xr-rows" ref={scroller} onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}>
        <div style={{ height: packets.length * ROW_HEIGHT, position: 'relative' }}>
          {rows.map((packet, i) => {
            const position = first + i;
            const isSelected = packet.seq === selected;
            return (
              <div
                key={packet.seq}
                id={`${idPrefix}-row-${packet.seq}`}
                role="row"
                aria-rowindex={position + 2}
                aria-selected={isSelected}
                className={`xr-row${isSelected ? ' is-selected' : ''}${packet.problems > 0 ? ' has-problem' : ''}${packet.summary.vni !== undefined ? ' has-vni' : ''}`}
                style={{ top: position * ROW_HEIGHT, height: ROW_HEIGHT }}
                onClick={() => onSelect(packet.seq)}
              >
                <span role="gridcell" className="xr-col xr-col-no">{packet.seq}</span>
                <span role="gridcell" className="xr-col xr-col-time">{formatSeconds(packet.timeUs - firstTimeUs)}</span>
                <span role="gridcell" className="xr-col xr-col-source">{packet.summary.source}</span>
                <span role="gridcell" className="xr-col xr-col-destination">{packet.summary.destination}</span>
                <span role="gridcell" className="xr-col xr-col-protocol">{packet.summary.protocol}</span>
                <span role="gridcell" className="xr-col xr-col-length">{packet.summary.length}</span>
                <span role="gridcell" className="xr-col xr-col-vni">{packet.summary.vni ?? ''}</span>
                <span role="gridcell" className="xr-col xr-col-info">{packet.summary.info}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

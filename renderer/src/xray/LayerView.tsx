// A packet layer by layer: a tree of its headers' fields, the 50 bytes VXLAN wraps
// around the inner frame called out as in the textbook, and the bytes in hex with the
// selected layer's (or field's) bytes highlighted.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { DecodedPacket } from '../../../electron/packets/decode';
import { VXLAN_OVERHEAD } from '../../../electron/lab/model';
import { differenceName, isEncapsulated, layerGist, layerName } from './layer-names';

export interface LayerSelection {
  layer: number;
  field?: number;
}

export interface LayerViewProps {
  packet: DecodedPacket;
  bytes: Uint8Array;
  /** Names the view for assistive technology: "Layers of packet 12". */
  label: string;
  /** Fields to mark as changed, named as the paired view's differences name them. */
  changed?: ReadonlySet<string>;
  /** Hide the hex view (the paired view shows the trees side by side). */
  compact?: boolean;
}

/** Bytes shown in hex at most: headers are at the start; a jumbo frame's tail is not drawn. */
export const MAX_HEX_BYTES = 4096;
const BYTES_PER_ROW = 16;

export function LayerView({ packet, bytes, label, changed, compact = false }: LayerViewProps) {
  const [selection, setSelection] = useState<LayerSelection>({ layer: 0 });
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  // A new packet starts at its first layer, every layer open.
  useEffect(() => {
    setSelection({ layer: 0 });
    setCollapsed(new Set());
  }, [packet]);

  const layer = packet.layers[selection.layer];
  const field = selection.field === undefined ? undefined : layer?.fields[selection.field];
  const range = field ?? layer;
  const encapsulated = isEncapsulated(packet);
  const regionName = range ? `${layer ? layerName(layer, encapsulated) : ''}${field ? ` ${field.label}` : ''}` : '';

  return (
    <div className={`xr-layer-view${compact ? ' xr-compact' : ''}`}>
      <LayerTree packet={packet} selection={selection} onSelect={setSelection} collapsed={collapsed} onCollapse={setCollapsed} label={label} changed={changed} />
      {encapsulated && <VxlanOverhead packet={packet} onSelectLayer={(index) => setSelection({ layer: index })} />}
      {packet.problems.length > 0 && (
        <ul className="xr-problems" aria-label="Problems in this packet">
          {packet.problems.map((problem, index) => (
            <li key={index}>{problem}</li>
          ))}
        </ul>
      )}
      {!compact && <HexView bytes={bytes} start={range?.offset ?? 0} length={range?.length ?? 0} regionName={regionName} />}
    </div>
  );
}

interface TreeProps {
  packet: DecodedPacket;
  selection: LayerSelection;
  onSelect(selection: LayerSelection): void;
  collapsed: ReadonlySet<number>;
  onCollapse(collapsed: ReadonlySet<number>): void;
  label: string;
  changed?: ReadonlySet<string>;
}

function LayerTree({ packet, selection, onSelect, collapsed, onCollapse, label, changed }: TreeProps) {
  const tree = useRef<HTMLUListElement>(null);
  const encapsulated = isEncapsulated(packet);
  // The items as the keyboard walks them: each layer, then its fields when open.
  const visible = useMemo(() => {
    const items: LayerSelection[] = [];
    packet.layers.forEach((layer, index) => {
      items.push({ layer: index });
      if (!collapsed.has(index)) layer.fields.forEach((_field, fieldIndex) => items.push({ layer: index, field: fieldIndex }));
    });
    return items;
  }, [packet, collapsed]);

  const toggle = (index: number, open: boolean) => {
    const next = new Set(collapsed);
    if (open) next.delete(index);
    else next.add(index);
    onCollapse(next);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const at = visible.findIndex((item) => item.layer === selection.layer && item.field === selection.field);
    let next: LayerSelection | undefined;
    if (event.key === 'ArrowDown') next = visible[Math.min(visible.length - 1, at + 1)];
    else if (event.key === 'ArrowUp') next = visible[Math.max(0, at - 1)];
    else if (event.key === 'Home') next = visible[0];
    else if (event.key === 'End') next = visible[visible.length - 1];
    else if (event.key === 'ArrowRight' && selection.field === undefined) toggle(selection.layer, true);
    else if (event.key === 'ArrowLeft') {
      if (selection.field !== undefined) next = { layer: selection.layer };
      else toggle(selection.layer, false);
    } else return;
    event.preventDefault();
    if (next) {
      onSelect(next);
      const id = itemId(next);
      requestAnimationFrame(() => tree.current?.querySelector<HTMLElement>(`[data-item="${id}"]`)?.focus());
    }
  };

  const itemId = (item: LayerSelection) => `${item.layer}${item.field === undefined ? '' : `.${item.field}`}`;
  const isSelected = (layer: number, field?: number) => selection.layer === layer && selection.field === field;

  return (
    <ul className="xr-tree" role="tree" aria-label={label} ref={tree} onKeyDown={onKeyDown}>
      {packet.layers.map((layer, index) => {
        const open = !collapsed.has(index);
        const name = layerName(layer, encapsulated);
        const gist = layerGist(layer);
        return (
          <li
            key={index}
            role="treeitem"
            aria-expanded={layer.fields.length > 0 ? open : undefined}
            aria-selected={isSelected(index)}
            aria-label={`${name}${gist ? ` ${gist}` : ''}${layer.problem ? ` (${layer.problem})` : ''}`}
            className={`xr-tree-layer xr-kind-${layer.kind}${layer.inner ? ' xr-inner' : ''}`}
          >
            <div
              className={`xr-tree-row${isSelected(index) ? ' is-selected' : ''}`}
              data-item={itemId({ layer: index })}
              tabIndex={isSelected(index) ? 0 : -1}
              onClick={() => onSelect({ layer: index })}
            >
              <button type="button" className="xr-twisty" tabIndex={-1} aria-label={`${open ? 'Collapse' : 'Expand'} ${name}`} onClick={(event) => (event.stopPropagation(), toggle(index, !open))}>
                {layer.fields.length > 0 ? (open ? '▾' : '▸') : ''}
              </button>
              <span className="xr-layer-name">{name}</span>
              {gist && <span className="xr-layer-gist">{gist}</span>}
              <span className="xr-layer-size">{layer.length} B</span>
              {layer.problem && <span className="xr-badge xr-badge-danger">{layer.problem}</span>}
              {layer.note && <span className="xr-layer-note">{layer.note}</span>}
            </div>
            {open && layer.fields.length > 0 && (
              <ul role="group">
                {layer.fields.map((field, fieldIndex) => {
                  const selected = isSelected(index, fieldIndex);
                  const differs = changed?.has(differenceName(layer, field, encapsulated)) ?? false;
                  return (
                    <li
                      key={fieldIndex}
                      role="treeitem"
                      aria-selected={selected}
                      aria-label={`${field.label}: ${field.value}${differs ? ' (changed)' : ''}`}
                      className={`xr-tree-field${selected ? ' is-selected' : ''}${differs ? ' is-changed' : ''}`}
                      data-item={itemId({ layer: index, field: fieldIndex })}
                      tabIndex={selected ? 0 : -1}
                      onClick={() => onSelect({ layer: index, field: fieldIndex })}
                    >
                      <span className="xr-field-label">{field.label}:</span> <span className="xr-field-value">{field.value}</span>
                    </li>
                  );
                })}
              </ul>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** The 50 bytes: outer Ethernet 14, IPv4 20, UDP 8, VXLAN 8, in front of the inner frame. */
export function VxlanOverhead({ packet, onSelectLayer }: { packet: DecodedPacket; onSelectLayer(index: number): void }) {
  const vxlanAt = packet.layers.findIndex((layer) => layer.kind === 'vxlan' && !layer.inner);
  if (vxlanAt < 0) return null;
  const wrapping = packet.layers.slice(0, vxlanAt + 1).map((layer, index) => ({ layer, index }));
  const total = wrapping.reduce((sum, { layer }) => sum + layer.length, 0);
  const innerBytes = packet.layers.filter((layer) => layer.inner).reduce((sum, layer) => sum + layer.length, 0);
  return (
    <figure className="xr-overhead" aria-label={`VXLAN adds ${total} bytes`}>
      <figcaption>
        VXLAN adds <strong>{total} bytes</strong>
        {total !== VXLAN_OVERHEAD ? ` (the textbook's ${VXLAN_OVERHEAD}, plus IPv4 options)` : ''} around the inner frame
        {innerBytes > 0 ? ` of ${innerBytes} bytes` : ''}
      </figcaption>
      <div className="xr-overhead-bar">
        {wrapping.map(({ layer, index }) => {
          const name = layerName(layer, true);
          return (
            <button
              type="button"
              key={index}
              className={`xr-overhead-part xr-kind-${layer.kind}`}
              style={{ flexGrow: layer.length }}
              aria-label={`${name}: ${layer.length} bytes`}
              onClick={() => onSelectLayer(index)}
            >
              <span>{name.replace(/^Outer /, '').replace(/ II$/, '')}</span>
              <strong>{layer.length}</strong>
            </button>
          );
        })}
        <span className="xr-overhead-inner">inner frame{innerBytes > 0 ? ` ${innerBytes}` : ''}</span>
      </div>
    </figure>
  );
}

function HexView({ bytes, start, length, regionName }: { bytes: Uint8Array; start: number; length: number; regionName: string }) {
  const shown = Math.min(bytes.length, MAX_HEX_BYTES);
  const end = start + length;
  const rows: number[] = [];
  for (let offset = 0; offset < shown; offset += BYTES_PER_ROW) rows.push(offset);
  const inRange = (offset: number) => offset >= start && offset < end;
  const summary = length > 0 ? `Bytes ${start} to ${end - 1} highlighted: ${regionName}` : 'Bytes';
  return (
    <div className="xr-hex" role="group" aria-label={summary}>
      {rows.map((row) => {
        const cells = Array.from(bytes.subarray(row, Math.min(row + BYTES_PER_ROW, shown)));
        return (
          <div className="xr-hex-row" key={row}>
            <span className="xr-hex-offset">{row.toString(16).padStart(4, '0')}</span>
            <span className="xr-hex-bytes">
              {cells.map((byte, i) => (
                <span key={i} className={inRange(row + i) ? 'xr-byte is-highlighted' : 'xr-byte'} data-offset={row + i}>
                  {byte.toString(16).padStart(2, '0')}
                </span>
              ))}
            </span>
            <span className="xr-hex-ascii" aria-hidden="true">
              {cells.map((byte, i) => (
                <span key={i} className={inRange(row + i) ? 'is-highlighted' : undefined}>
                  {byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.'}
                </span>
              ))}
            </span>
          </div>
        );
      })}
      {bytes.length > shown && <div className="xr-muted">… {bytes.length - shown} more bytes not drawn</div>}
    </div>
  );
}

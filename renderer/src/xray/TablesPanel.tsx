// A host's tables, live: its VXLAN devices, the FDB (flood entries and learned MACs
// named by their node), bridge ports, neighbours and routes. Entries that appeared since
// the panel opened are marked new; the entry the selected packet or the current trace
// step used is highlighted; a short log shows what was added, changed or removed.
import { useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import { fdbEntryUsed, neighbourUsed, routeUsed } from './entry-match';
import type { XrayFocus, XrayPanel, XrayStore } from './xray-store';

type TablesPanelData = Extract<XrayPanel, { kind: 'tables' }>;

const FLOOD_MAC = '00:00:00:00:00:00';

function rowClass(used: boolean, fresh: boolean): string | undefined {
  const names = [used ? 'is-used' : '', fresh ? 'is-new' : ''].filter(Boolean).join(' ');
  return names || undefined;
}

function Marks({ used, fresh }: { used: boolean; fresh: boolean }) {
  return (
    <>
      {fresh && <span className="xr-badge xr-badge-new">new</span>}
      {used && <span className="xr-badge xr-badge-used">used</span>}
    </>
  );
}

function Table({ caption, headers, children, empty }: { caption: string; headers: string[]; children: ReactNode[]; empty: string }) {
  return (
    <table className="xr-table" aria-label={caption}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {headers.map((header) => (
            <th key={header} scope="col">
              {header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {children.length > 0 ? (
          children
        ) : (
          <tr>
            <td colSpan={headers.length} className="xr-muted">
              {empty}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

export function TablesPanel({ store, panel }: { store: XrayStore; panel: TablesPanelData }) {
  const session = panel.tables;
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const focus: XrayFocus = useSyncExternalStore(store.subscribe, store.getSnapshot).focus;
  const host = panel.node;
  const view = snapshot.view;
  const isFresh = (...keys: (string | undefined)[]) => keys.some((key) => key !== undefined && snapshot.fresh.has(key.toLowerCase()));

  return (
    <div className="xr-tables" role="region" aria-label={panel.title}>
      <div role="status" aria-live="polite" className="xr-capture-status">
        {snapshot.state === 'opening' && <span className="xr-state">Reading the tables of {host}…</span>}
        {snapshot.state === 'watching' && <span className="xr-state xr-state-live">Live: updated as {host}'s kernel learns and forgets</span>}
        {snapshot.state === 'failed' && (
          <span className="xr-state xr-state-failed">
            Could not watch {host}: {snapshot.error?.message}
            {snapshot.error?.hint ? ` ${snapshot.error.hint}` : ''} <code>{snapshot.error?.code}</code>
          </span>
        )}
      </div>
      {view && (
        <div className="xr-tables-grid">
          <Table caption="VXLAN devices" headers={['Device', 'VNI', 'Port', 'Local IP', 'MTU', 'Bridge', 'State']} empty="No VXLAN device.">
            {view.vteps.map((vtep) => (
              <tr key={vtep.device}>
                <td>{vtep.device}</td>
                <td>{vtep.vni}</td>
                <td>{vtep.port}</td>
                <td>{vtep.localIp}</td>
                <td>{vtep.mtu}</td>
                <td>{vtep.bridge ?? ''}</td>
                <td>
                  {vtep.state}
                  {vtep.learning ? ', learning' : ''}
                </td>
              </tr>
            ))}
          </Table>
          <Table caption="Forwarding database (FDB)" headers={['MAC', 'Node', 'Device', 'Kind', 'To VTEP', '']} empty="No entries.">
            {view.fdb.map((entry, index) => {
              const used = fdbEntryUsed(entry, focus, host);
              const fresh = isFresh(entry.mac);
              const flood = entry.kind === 'flood' || entry.mac === FLOOD_MAC;
              return (
                <tr key={`${entry.table}-${entry.device}-${entry.mac}-${entry.dst ?? ''}-${index}`} className={rowClass(used, fresh)} aria-label={`${flood ? 'flood' : entry.mac} ${entry.owner ?? ''} ${entry.kind}${fresh ? ' new' : ''}${used ? ' used' : ''}`}>
                  <td>
                    <code>{entry.mac}</code>
                  </td>
                  <td>{flood ? `all (flood${entry.owner ? ` to ${entry.owner}` : ''})` : (entry.owner ?? '')}</td>
                  <td>
                    {entry.device}
                    {entry.table === 'bridge' ? ' (bridge)' : ''}
                  </td>
                  <td>{entry.kind}</td>
                  <td>{entry.dst ?? ''}</td>
                  <td>
                    <Marks used={used} fresh={fresh} />
                  </td>
                </tr>
              );
            })}
          </Table>
          <Table caption="Bridge ports" headers={['Port', 'Bridge', 'Kind', 'Container', 'State', 'MTU']} empty="No bridge port.">
            {view.bridgePorts.map((port) => (
              <tr key={`${port.bridge}-${port.port}`}>
                <td>{port.port}</td>
                <td>{port.bridge}</td>
                <td>{port.kind}</td>
                <td>{port.container ?? ''}</td>
                <td>{port.state}</td>
                <td>{port.mtu}</td>
              </tr>
            ))}
          </Table>
          <Table caption="Neighbours" headers={['IP', 'MAC', 'Node', 'Device', 'State', '']} empty="No neighbour.">
            {view.neighbours.map((neighbour, index) => {
              const used = neighbourUsed(neighbour, focus, host);
              const fresh = isFresh(neighbour.ip, neighbour.mac);
              return (
                <tr key={`${neighbour.device}-${neighbour.ip}-${index}`} className={rowClass(used, fresh)} aria-label={`${neighbour.ip} ${neighbour.owner ?? ''} ${neighbour.state}${fresh ? ' new' : ''}${used ? ' used' : ''}`}>
                  <td>{neighbour.ip}</td>
                  <td>
                    <code>{neighbour.mac ?? ''}</code>
                  </td>
                  <td>{neighbour.owner ?? ''}</td>
                  <td>{neighbour.device}</td>
                  <td>{neighbour.state}</td>
                  <td>
                    <Marks used={used} fresh={fresh} />
                  </td>
                </tr>
              );
            })}
          </Table>
          <Table caption="Routes" headers={['Destination', 'Device', 'Gateway', 'Source', '']} empty="No route.">
            {view.routes.map((route, index) => {
              const used = routeUsed(route, focus, host);
              return (
                <tr key={`${route.destination}-${index}`} className={rowClass(used, false)}>
                  <td>{route.destination}</td>
                  <td>{route.device ?? ''}</td>
                  <td>{route.gateway ?? ''}</td>
                  <td>{route.source ?? ''}</td>
                  <td>
                    <Marks used={used} fresh={false} />
                  </td>
                </tr>
              );
            })}
          </Table>
        </div>
      )}
      {snapshot.log.length > 0 && (
        <section className="xr-log" aria-label="Recent changes">
          <h4>Recent changes</h4>
          <ol>
            {snapshot.log.map((change) => (
              <li key={change.n} className={`xr-change xr-change-${change.change}`}>
                {change.change} in {change.table === 'fdb' ? 'FDB' : 'neighbours'}: <code>{change.entry}</code>
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}

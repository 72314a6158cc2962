// Placeholder shell: replaced by the app shell (gallery, editor, terminals).
import { useEffect, useState } from 'react';
import type { ApiClient, EngineStatus } from '../../electron/api/contract';

export function App({ client }: { client: ApiClient }) {
  const [engine, setEngine] = useState<EngineStatus | undefined>();
  useEffect(() => {
    void client.request('engine.info', {}).then(setEngine);
  }, [client]);
  return <main aria-label="vxlab">{engine?.info ? `Docker ${engine.info.version}` : engine?.error?.message ?? 'Connecting…'}</main>;
}

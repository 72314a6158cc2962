// placeholder
import type { LabEngine } from './lab-engine.js';
import { runScript } from './exec.js';
import { inspectScript } from './host-scripts.js';
export async function readVtepView(engine: LabEngine, lab: string, node: string): Promise<unknown> {
  const target = await engine.locateNode(lab, node);
  return JSON.parse(await runScript(target.host, inspectScript(), 'inspect'));
}

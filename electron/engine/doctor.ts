// `vxlab doctor`: reads every host's VTEP view as it is now, probes the paths between
// hosts (path-probe.ts: pings, container MTUs, link faults), and lets the pure rules
// (doctor-rules.ts) name what is wrong. Hosts are read and probed in parallel, one exec
// each for the view and the probe; a host that cannot be read is itself a finding, not
// an end to the diagnosis.
import { planWiring } from '../lab/plan.js';
import type { DoctorReport } from '../api/types.js';
import type { HostObservation } from './doctor-rules.js';
import { diagnose, probeFindings } from './doctor-rules.js';
import { EngineError } from './errors.js';
import type { LabEngine } from './lab-engine.js';
import { probeHost } from './path-probe.js';
import type { HostProbe } from './path-probe.js';
import { readVtepView } from './vtep-view.js';

export type { DoctorReport };

export async function runDoctor(engine: LabEngine, lab: string): Promise<DoctorReport> {
  const applied = await engine.appliedLab(lab);
  if (!applied) throw new EngineError('lab-not-found', `No lab ${lab} has been brought up here, so there is nothing to compare it with.`, 'Bring it up first: vxlab up FILE');
  const wiring = planWiring(applied);
  const observations = await Promise.all(
    wiring.map(async (host): Promise<HostObservation> => {
      try {
        return { host: host.host, view: await readVtepView(engine, lab, host.host) };
      } catch (error) {
        return { host: host.host, error: error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error) };
      }
    }),
  );
  const probes = (await Promise.all(wiring.map((host) => probeHost(engine, lab, wiring, host.host)))).filter((p): p is HostProbe => p !== undefined);
  const tables = diagnose(wiring, observations);
  const findings = [...tables, ...probeFindings(lab, probes, tables)];
  return { lab, healthy: findings.length === 0, findings, paths: probes.flatMap((p) => p.paths) };
}

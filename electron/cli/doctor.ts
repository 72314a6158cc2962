// `vxlab doctor` and `vxlab break` from a terminal. The doctor is a request of the
// service (`lab.doctor`), as the app asks it; `break` acts on the hosts directly
// through the engine, like `vxlab exec`, with its names checked by the contract's rules.
// What comes from the hosts' kernels is printed through `printable`.
import { labNameSchema, nodeNameSchema } from '../api/contract.js';
import { describeFinding } from '../engine/doctor-rules.js';
import type { DoctorReport } from '../api/types.js';
import { breakLab, FAULTS, isFault } from '../engine/faults.js';
import type { LabEngine } from '../engine/lab-engine.js';
import { printable } from './printable.js';

type Io = { out: (text: string) => void; err: (text: string) => void };

/** A command line the CLI refuses before it touches anything (exit 2). */
export class DoctorUsageError extends Error {}

function checkName(verb: string, what: string, value: string, schema: typeof labNameSchema | typeof nodeNameSchema): void {
  const checked = schema.safeParse(value);
  if (!checked.success) throw new DoctorUsageError(`vxlab ${verb} ${what}: ${checked.error.issues[0]?.message ?? 'not a valid name'}.`);
}

/** Exit 0 when the lab is healthy, 1 when anything is wrong. */
export async function doctorCommand(request: (params: { name: string }) => Promise<DoctorReport>, lab: string, json: boolean, io: Io): Promise<number> {
  const report = await request({ name: lab });
  if (json) io.out(JSON.stringify(report, null, 2) + '\n');
  else if (report.healthy) io.out(`Lab ${printable(lab)}: every host's VTEPs match the lab file. Nothing to fix.\n`);
  else {
    io.out(`Lab ${printable(lab)}: ${report.findings.length} problem${report.findings.length === 1 ? '' : 's'} found.\n`);
    for (const finding of report.findings) io.out(`  [${finding.code}] ${printable(describeFinding(finding))}\n`);
  }
  // What the doctor observed on the wire, so a person sees the reachability behind the verdict.
  if (!json) {
    for (const path of report.paths ?? []) {
      const line = `${path.from.host}/${path.from.container} -> ${path.to.host}/${path.to.container} (${path.to.address}) on ${path.overlay}: ${path.received} of ${path.sent} pings answered`;
      io.out(`  path ${printable(line)}\n`);
    }
  }
  return report.healthy ? 0 : 1;
}

export async function breakCommand(
  engine: LabEngine,
  lab: string,
  fault: string,
  target: { host?: string; overlay?: string },
  io: Io,
): Promise<number> {
  checkName('break', 'NAME', lab, labNameSchema);
  if (!isFault(fault)) {
    throw new DoctorUsageError(`vxlab break FAULT: ${printable(fault)} is not a fault vxlab knows. Use one of: ${FAULTS.join(', ')}.`);
  }
  if (target.host !== undefined) checkName('break', '--host', target.host, nodeNameSchema);
  if (target.overlay !== undefined) checkName('break', '--overlay', target.overlay, nodeNameSchema);
  const broken = await breakLab(engine, lab, fault, target);
  // A link fault is kept by `up` (it is set on purpose); its own sentence says how to clear it.
  const heal = broken.fault === 'underlay-loss' ? '' : '; heal it with `vxlab up` and the lab file';
  io.out(`${printable(broken.done)}\nFind it with \`vxlab doctor ${printable(lab)}\`${heal}.\n`);
  return 0;
}

// `vxlab check` and `vxlab solve` (issue 8 §1): a lab's objectives run from a terminal, for
// a learner, a teacher's grader (--json, one record per check) and tests. What the lab's
// author wrote and what nodes print is shown through `printable`.
import { labNameSchema } from '../api/contract.js';
import { runObjectiveChecks, runObjectiveCommands } from '../engine/checks.js';
import type { LabEngine } from '../engine/lab-engine.js';
import { MAX_OBJECTIVE_STEPS } from '../lab/limits.js';
import { printable } from './printable.js';

type Io = { out: (text: string) => void; err: (text: string) => void };

/** A command line the CLI refuses before it touches anything (exit 2). */
export class CheckUsageError extends Error {}

function checkedLab(verb: string, lab: string): string {
  const checked = labNameSchema.safeParse(lab);
  if (!checked.success) throw new CheckUsageError(`vxlab ${verb} NAME: ${checked.error.issues[0]?.message ?? 'not a valid name'}.`);
  return lab;
}

/** `--step N`: a whole number from 1; undefined for every step. */
export function parseStep(verb: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d{0,3}$/.test(text) || Number(text) > MAX_OBJECTIVE_STEPS) {
    throw new CheckUsageError(`vxlab ${verb} --step: ${printable(text.slice(0, 40))} is not a step number: write a whole number from 1 to ${MAX_OBJECTIVE_STEPS}, like --step 2.`);
  }
  return Number(text);
}

/** Exit 0 only when every check run passed. `engine` is made only once the command line is sound. */
export async function checkCommand(engine: () => LabEngine, lab: string, stepText: string | undefined, json: boolean, io: Io): Promise<number> {
  const step = parseStep('check', stepText);
  const name = checkedLab('check', lab);
  const steps = await runObjectiveChecks(engine(), name, step);
  const allPassed = steps.every((report) => report.passed);
  if (json) {
    for (const report of steps) for (const check of report.checks) io.out(`${JSON.stringify({ lab, title: report.title, ...check })}\n`);
    return allPassed ? 0 : 1;
  }
  for (const report of steps) {
    io.out(`Step ${report.step}: ${printable(report.title)} — ${report.passed ? 'PASS' : 'FAIL'}\n`);
    for (const check of report.checks) {
      io.out(`  [${check.passed ? 'pass' : 'FAIL'}] ${printable(check.description)}: ${printable(check.message)}\n`);
      if (!check.passed) io.out(`         observed: ${printable(check.observed)}\n`);
    }
  }
  const total = steps.reduce((sum, report) => sum + report.checks.length, 0);
  const passed = steps.reduce((sum, report) => sum + report.checks.filter((check) => check.passed).length, 0);
  io.out(`${passed} of ${total} checks passed.${allPassed ? '' : ' Fix what failed and run vxlab check again.'}\n`);
  return allPassed ? 0 : 1;
}

/**
 * `vxlab solve` runs the steps' solution commands, `vxlab setup` their setup commands (what
 * a step does as it starts, such as breaking the MTU for the learner to find). Exit 1 when
 * one fails (the rest are not run).
 */
export async function solveCommand(
  engine: () => LabEngine,
  lab: string,
  stepText: string | undefined,
  io: Io,
  which: 'solution' | 'setup' = 'solution',
): Promise<number> {
  const verb = which === 'solution' ? 'solve' : 'setup';
  const step = parseStep(verb, stepText);
  const name = checkedLab(verb, lab);
  const commands = await runObjectiveCommands(engine(), name, which, step);
  for (const command of commands) {
    io.out(`Step ${command.step} on ${printable(command.node)}: ${printable(command.run)} — exit ${command.exitCode}\n`);
    if (command.exitCode !== 0 && command.output.trim() !== '') io.out(`  ${printable(command.output.trim().slice(0, 2000))}\n`);
  }
  const failed = commands.some((command) => command.exitCode !== 0);
  if (commands.length === 0) io.out(`No ${which} commands for that: nothing was run.\n`);
  else if (failed) io.out(`A ${which} command failed; the ones after it were not run.\n`);
  else io.out(`Ran ${commands.length} ${which} command${commands.length === 1 ? '' : 's'}. Check with: vxlab check ${lab}${step === undefined ? '' : ` --step ${step}`}\n`);
  return failed ? 1 : 0;
}

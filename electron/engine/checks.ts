// Runs a lab's objectives against the running lab (issue 8 §1): each check's probe in its
// node (a container through its host's `docker exec`), retried as the author allows, judged
// by check-evaluation.ts. The objectives come from the lab file `up` applied, never from the
// caller, so a check only runs what the lab's author wrote, in the lab's own nodes.

import type { Lab, NodeCommand, Objective, ObjectiveCheck } from '../lab/model.js';
import {
  MAX_CHECK_OUTPUT,
  describeCheck,
  evaluateCommand,
  evaluatePing,
  evaluateState,
  messageOf,
  pingCommand,
  targetAddress,
} from './check-evaluation.js';
import type { CheckOutcome, ProbeRecord } from './check-evaluation.js';
import { EngineError } from './errors.js';
import { execCapture } from './exec.js';
import type { LabEngine } from './lab-engine.js';
import { readVtepView } from './vtep-view.js';

/** Pause between two tries of a check that may still become true (a MAC being learned). */
const RETRY_PAUSE_MS = 1000;

export interface CheckReport {
  /** 1-based, as people count steps and checks. */
  step: number;
  check: number;
  kind: ObjectiveCheck['kind'];
  description: string;
  passed: boolean;
  /** The author's message for this outcome, or "passed"/"failed". */
  message: string;
  observed: string;
  tries: number;
}

export interface StepReport {
  step: number;
  title: string;
  passed: boolean;
  checks: CheckReport[];
}

/** The applied lab and its objectives; `step` (1-based) picks one. */
export async function objectivesOf(engine: LabEngine, labName: string, step?: number): Promise<{ lab: Lab; steps: { number: number; objective: Objective }[] }> {
  const lab = await engine.appliedLab(labName);
  if (lab === undefined) {
    throw new EngineError('lab-not-found', `No lab file was applied under the name ${labName}.`, `Start it first: vxlab up LAB-FILE`);
  }
  const objectives = lab.objectives ?? [];
  if (objectives.length === 0) {
    throw new EngineError('lab-invalid', `Lab ${labName} has no objectives.`, 'Add objectives to the lab file and run vxlab up again.');
  }
  if (step !== undefined && (step < 1 || step > objectives.length)) {
    throw new EngineError('lab-invalid', `Lab ${labName} has no step ${step}.`, `Use a step from 1 to ${objectives.length}.`);
  }
  const steps = objectives.map((objective, index) => ({ number: index + 1, objective }));
  return { lab, steps: step === undefined ? steps : steps.filter((entry) => entry.number === step) };
}

/** Runs `command` (argv) in a node, cut off after `timeoutSeconds`, its output bounded. */
async function runInNode(engine: LabEngine, labName: string, node: string, command: string[], timeoutSeconds: number): Promise<ProbeRecord> {
  const target = await engine.locateNode(labName, node);
  // `timeout` ends a command that hangs; head bounds what a chatty one sends back. The exit
  // code is the command's (or 124 on timeout), kept across the pipe by the subshell.
  const bounded = [
    'sh',
    '-c',
    `{ timeout ${timeoutSeconds} "$@" 2>&1; echo "vxlab-exit:$?"; } | tail -c ${MAX_CHECK_OUTPUT}`,
    'sh',
    ...command,
  ];
  const cmd = target.container === undefined ? bounded : ['docker', 'exec', target.container, ...bounded];
  const result = await execCapture(target.host, cmd);
  const text = result.stdout;
  const marker = /vxlab-exit:(\d+)\s*$/.exec(text);
  return { exitCode: marker ? Number(marker[1]) : result.exitCode || 1, output: marker ? text.slice(0, marker.index) : text + result.stderr };
}

async function tryCheck(engine: LabEngine, lab: Lab, check: ObjectiveCheck): Promise<CheckOutcome> {
  switch (check.kind) {
    case 'reach':
    case 'mtu': {
      const address = targetAddress(lab, check.to);
      if (address === undefined) return { passed: false, observed: `${check.to} has no address to ping` };
      const record = await runInNode(engine, lab.name, check.from, pingCommand(check, address), check.timeoutSeconds + 1);
      return evaluatePing(check, record);
    }
    case 'command':
      return evaluateCommand(check, await runInNode(engine, lab.name, check.node, ['sh', '-c', check.run], check.timeoutSeconds));
    case 'state':
      return evaluateState(check, await readVtepView(engine, lab.name, check.host));
  }
}

async function runCheck(engine: LabEngine, lab: Lab, check: ObjectiveCheck): Promise<{ outcome: CheckOutcome; tries: number }> {
  let outcome: CheckOutcome = { passed: false, observed: 'not run' };
  let tries = 0;
  while (tries <= check.retries) {
    if (tries > 0) await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
    tries++;
    try {
      outcome = await tryCheck(engine, lab, check);
    } catch (error) {
      // A node that is gone or a host that does not answer fails the check; the others still run.
      outcome = { passed: false, observed: error instanceof EngineError ? error.describe() : String(error) };
    }
    if (outcome.passed) break;
  }
  return { outcome, tries };
}

/** Runs the checks of every step (or of one), in order. */
export async function runObjectiveChecks(engine: LabEngine, labName: string, step?: number): Promise<StepReport[]> {
  const { lab, steps } = await objectivesOf(engine, labName, step);
  const reports: StepReport[] = [];
  for (const { number, objective } of steps) {
    const checks: CheckReport[] = [];
    for (const [index, check] of objective.checks.entries()) {
      const { outcome, tries } = await runCheck(engine, lab, check);
      checks.push({
        step: number,
        check: index + 1,
        kind: check.kind,
        description: describeCheck(check),
        passed: outcome.passed,
        message: messageOf(check, outcome),
        observed: outcome.observed,
        tries,
      });
    }
    reports.push({ step: number, title: objective.title, passed: checks.every((check) => check.passed), checks });
  }
  return reports;
}

export interface CommandReport {
  step: number;
  node: string;
  run: string;
  exitCode: number;
  output: string;
}

/** Seconds a setup or solution command may take. */
const COMMAND_TIMEOUT_SECONDS = 60;

/** Runs the solution (or setup) commands of every step (or of one), in order; stops at the first that fails. */
export async function runObjectiveCommands(engine: LabEngine, labName: string, which: 'solution' | 'setup', step?: number): Promise<CommandReport[]> {
  const { steps } = await objectivesOf(engine, labName, step);
  const reports: CommandReport[] = [];
  for (const { number, objective } of steps) {
    const commands: NodeCommand[] = objective[which];
    for (const command of commands) {
      const record = await runInNode(engine, labName, command.node, ['sh', '-c', command.run], COMMAND_TIMEOUT_SECONDS);
      reports.push({ step: number, node: command.node, run: command.run, exitCode: record.exitCode, output: record.output });
      if (record.exitCode !== 0) return reports;
    }
  }
  return reports;
}

// A command attached to a person: a host's shell, or a container's reached through
// `docker exec` inside its host. The same session serves the CLI and (later) the
// app's terminals; resizing the outer exec reaches the nested one.
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { execCapture } from './exec.js';
import { hangUpMarked, script as shellScript, sh } from './shell-script.js';
import type { LabEngine, LocatedNode } from './lab-engine.js';

/** Marks every process of a session, so that ending it can hang them all up. */
const MARK_VARIABLE = 'VXLAB_SESSION';

export interface ExecSession {
  /** Raw bytes when `tty`; Docker's multiplexed frames otherwise. */
  stream: Duplex;
  tty: boolean;
  resize(columns: number, rows: number): Promise<void>;
  /** Resolves with the command's exit code once it has ended. */
  exitCode(): Promise<number>;
  /**
   * Sends SIGHUP to every process of the session, as closing a terminal does. Docker
   * leaves an exec running when its client goes away: without this, a closed
   * terminal's shell (and whatever it ran) would live on in the node.
   */
  hangUp(): Promise<void>;
}

export async function openExecSession(
  engine: Pick<LabEngine, 'locateNode'>,
  lab: string,
  node: string,
  command: string[],
  options: { tty: boolean; env?: string[]; located?: LocatedNode },
): Promise<ExecSession> {
  const target = options.located ?? (await engine.locateNode(lab, node));
  const mark = randomUUID();
  const env = [...(options.env ?? []), `${MARK_VARIABLE}=${mark}`];
  const cmd = target.container
    ? ['docker', 'exec', '-i', ...(options.tty ? ['-t'] : []), ...env.flatMap((e) => ['-e', e]), target.container, ...command]
    : command;
  const exec = await target.host.exec({
    Cmd: cmd,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: options.tty,
    Env: target.container ? undefined : env,
  });
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: options.tty })) as Duplex;
  const ended = new Promise<void>((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
  });
  return {
    stream,
    tty: options.tty,
    resize: async (columns, rows) => {
      await exec.resize({ w: columns, h: rows });
    },
    exitCode: async () => {
      await ended;
      const info = await exec.inspect();
      return info.ExitCode ?? -1;
    },
    hangUp: async () => {
      const script = shellScript(hangUpMarked(`${MARK_VARIABLE}=${mark}`), sh`true`);
      await execCapture(target.host, target.container ? ['docker', 'exec', target.container, 'sh', '-c', script] : ['sh', '-c', script]);
    },
  };
}

// A command attached to a person: a host's shell, or a container's reached through
// `docker exec` inside its host. The same session serves the CLI and (later) the
// app's terminals; resizing the outer exec reaches the nested one.
import type { Duplex } from 'node:stream';
import type { LabEngine } from './lab-engine.js';

export interface ExecSession {
  /** Raw bytes when `tty`; Docker's multiplexed frames otherwise. */
  stream: Duplex;
  tty: boolean;
  resize(columns: number, rows: number): Promise<void>;
  /** Resolves with the command's exit code once it has ended. */
  exitCode(): Promise<number>;
}

export async function openExecSession(
  engine: LabEngine,
  lab: string,
  node: string,
  command: string[],
  options: { tty: boolean; env?: string[] },
): Promise<ExecSession> {
  const target = await engine.locateNode(lab, node);
  const cmd = target.container
    ? ['docker', 'exec', '-i', ...(options.tty ? ['-t'] : []), ...(options.env ?? []).flatMap((e) => ['-e', e]), target.container, ...command]
    : command;
  const exec = await target.host.exec({
    Cmd: cmd,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: options.tty,
    Env: target.container ? undefined : options.env,
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
  };
}

// `vxlab exec`: connects the terminal (or pipes) of the caller to a node's command.
import { openExecSession } from '../engine/exec-session.js';
import type { LabEngine } from '../engine/lab-engine.js';

export async function runInteractiveExec(engine: LabEngine, lab: string, node: string, command: string[]): Promise<number> {
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const session = await openExecSession(engine, lab, node, command, { tty, env: tty ? [`TERM=${process.env.TERM ?? 'xterm'}`] : [] });
  const onResize = () => void session.resize(process.stdout.columns, process.stdout.rows).catch(() => {});
  if (tty) {
    process.stdin.setRawMode(true);
    session.stream.pipe(process.stdout);
    onResize();
    process.stdout.on('resize', onResize);
  } else {
    engine.docker.modem.demuxStream(session.stream, process.stdout, process.stderr);
  }
  // Killed or hung up: end the command too, or Docker would leave it running in the node.
  const stopSignals: NodeJS.Signals[] = tty ? ['SIGHUP', 'SIGTERM'] : ['SIGHUP', 'SIGTERM', 'SIGINT'];
  const onStop = (signal: NodeJS.Signals) => {
    void session
      .hangUp()
      .catch(() => {})
      .finally(() => process.exit(128 + (signal === 'SIGHUP' ? 1 : signal === 'SIGINT' ? 2 : 15)));
  };
  for (const signal of stopSignals) process.once(signal, onStop);
  // Forward our input; when it ends, close the command's input so that `cat`-like commands finish.
  process.stdin.on('data', (chunk) => session.stream.write(chunk));
  process.stdin.on('end', () => {
    if (!tty) (session.stream as unknown as { end(): void }).end();
  });
  try {
    return await session.exitCode();
  } finally {
    for (const signal of stopSignals) process.off(signal, onStop);
    if (tty) {
      process.stdout.off('resize', onResize);
      process.stdin.setRawMode(false);
    }
    process.stdin.pause();
    process.stdin.unref?.();
  }
}

// Running commands in containers through the engine's exec API: captured (for the
// engine's own scripts) or attached to a terminal (for people).
import type Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import { EngineError } from './errors.js';

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface ExecOptions {
  /** Streamed to the command's standard input, which is closed at its end. */
  stdin?: NodeJS.ReadableStream;
  env?: string[];
}

/** Runs a command to its end and returns what it printed and its exit code. */
export async function execCapture(container: Docker.Container, cmd: string[], options: ExecOptions = {}): Promise<ExecResult> {
  const exec = await container.exec({
    Cmd: cmd,
    AttachStdout: true,
    AttachStderr: true,
    AttachStdin: options.stdin !== undefined,
    Tty: false,
    Env: options.env,
  });
  const stream = await exec.start({ hijack: true, stdin: options.stdin !== undefined });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  container.modem.demuxStream(stream, stdout, stderr);
  if (options.stdin) {
    options.stdin.pipe(stream as unknown as NodeJS.WritableStream);
  }
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  const { ExitCode } = await exec.inspect();
  return {
    stdout: Buffer.concat(out).toString(),
    stderr: Buffer.concat(err).toString(),
    exitCode: ExitCode ?? -1,
  };
}

/** Runs a shell script; a non-zero exit becomes an error that quotes stderr. */
export async function runScript(container: Docker.Container, script: string, what: string, options: ExecOptions = {}): Promise<string> {
  const result = await execCapture(container, ['sh', '-c', script], options);
  if (result.exitCode !== 0) {
    const reason = (result.stderr || result.stdout).trim().split('\n').slice(-8).join('\n    ');
    throw new EngineError('step-failed', `${what} failed (exit ${result.exitCode}):\n    ${reason}`);
  }
  return result.stdout;
}

/** Quoting for sh lives with the script builder; re-exported for callers that quote one word. */
export { shellQuote } from './shell-script.js';

// The connection to the Docker engine. dockerode reads DOCKER_HOST (and the TLS
// variables) by itself; everything else in the engine receives this client.
import Docker from 'dockerode';
import type { EngineInfo } from '../api/types.js';
import { EngineError } from './errors.js';

export type DockerClient = Docker;

export function connectDocker(): DockerClient {
  return new Docker();
}

export function describeEndpoint(): string {
  return process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
}

export type { EngineInfo };

/** Asks the engine who it is, turning "connect ENOENT" into advice. */
export async function checkEngine(docker: DockerClient): Promise<EngineInfo> {
  try {
    const [version, info] = await Promise.all([docker.version(), docker.info()]);
    return {
      endpoint: describeEndpoint(),
      version: version.Version,
      apiVersion: version.ApiVersion,
      kernel: version.KernelVersion ?? info.KernelVersion,
      storageDriver: info.Driver,
    };
  } catch (error) {
    throw engineUnreachable(error);
  }
}

export function engineUnreachable(error: unknown): EngineError {
  const reason = error instanceof Error ? error.message : String(error);
  return new EngineError(
    'engine-unreachable',
    `No Docker engine answers at ${describeEndpoint()} (${reason}).`,
    'Start one: on Debian or Ubuntu run `sudo scripts/provision.sh` (installs docker.io and starts dockerd), ' +
      'or `sudo systemctl start docker`; or point DOCKER_HOST at a running engine.',
  );
}

/** The engine's own sentence for a refused request (dockerode carries it in `json.message`), or undefined. */
export function dockerRefusal(error: unknown): string | undefined {
  const status = (error as { statusCode?: number })?.statusCode;
  if (typeof status !== 'number') return undefined;
  const json = (error as { json?: { message?: string } }).json;
  return `${json?.message ?? (error as Error).message} (HTTP ${status})`;
}

/** True for dockerode's "404 no such container/network/image" errors. */
export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { statusCode?: number }).statusCode === 404;
}

/** True for "409 conflict" (already exists, already in progress). */
export function isConflict(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { statusCode?: number }).statusCode === 409;
}

/** Reads a whole stream (an import or load response) and fails on an error message in it. */
export async function followProgress(docker: DockerClient, stream: NodeJS.ReadableStream): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, output: unknown[]) => {
      if (error) reject(error);
      else resolve(output);
    });
  });
}

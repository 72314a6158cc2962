// The containers of a lab live inside its hosts, in each host's own Docker engine: the
// machine's engine never sees them start or die. To push their changes too, the status
// feed follows the engine of every running host with one `docker events` each.
//
// Docker leaves an exec running when its client goes away, so the watcher is tied to
// the exec's standard input: closing our end gives `cat` its end of file, and the
// script then stops `docker events`. Nothing is left running in the host.
import { PassThrough } from 'node:stream';
import type { Duplex, Readable } from 'node:stream';
import type { LabName, NodeName } from '../lab/brands.js';
import { hostContainerName } from '../lab/naming.js';
import type { DockerClient } from './docker.js';
import { LABEL_LAB } from './labels.js';
import { sh } from './shell-script.js';

/**
 * `docker events` of the lab's containers in a host, until standard input ends. The first
 * line names the watching engine (`watcher`), so that each vxlab process (the app, `vxlab
 * serve`, a test) can tell its own watchers from another one's in the same host.
 */
export function innerEventsScript(lab: LabName, watcher: string): string {
  return sh`: ${`vxlab-watcher=${watcher}`}
docker events --filter type=container --filter ${`label=${LABEL_LAB}=${lab}`} \
--filter event=create --filter event=start --filter event=die --filter event=destroy --format ${'{{.Action}}'} & watcher=$!
cat >/dev/null
kill $watcher 2>/dev/null
wait`.text;
}

/**
 * The event lines of the lab's containers in `host` (standard output only: an engine
 * that is not up yet says so on standard error, which is no event). It ends when the
 * host or its engine does; aborting `signal` ends it and the watcher inside the host.
 */
export async function openInnerEvents(docker: DockerClient, lab: LabName, host: NodeName, signal: AbortSignal, watcher: string): Promise<Readable> {
  const exec = await docker.getContainer(hostContainerName(lab, host)).exec({
    Cmd: ['sh', '-c', innerEventsScript(lab, watcher)],
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
  });
  const stream = (await exec.start({ hijack: true, stdin: true })) as unknown as Duplex;
  const stdout = new PassThrough();
  docker.modem.demuxStream(stream, stdout, new PassThrough().resume());
  stream.on('close', () => stdout.destroy());
  stream.on('end', () => stdout.destroy());
  stream.on('error', () => stdout.destroy());
  const close = () => {
    stream.end(); // end of file on the watcher's stdin: the script stops `docker events` and exits
    stream.destroy();
    stdout.destroy();
  };
  if (signal.aborted) close();
  else signal.addEventListener('abort', close, { once: true });
  return stdout;
}

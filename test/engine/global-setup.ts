// Engine tests run against a real Docker engine. None answering is a failure with
// directions, never a skip; missing images are built once before any test.
import { checkEngine, connectDocker } from '../../electron/engine/docker.js';
import { isEngineError } from '../../electron/engine/errors.js';
import { ensureImages } from '../../electron/engine/images.js';
import { createProgressPrinter } from '../../electron/cli/progress.js';

export default async function setup(): Promise<void> {
  const docker = connectDocker();
  try {
    await checkEngine(docker);
  } catch (error) {
    const text = isEngineError(error) ? error.describe() : String(error);
    throw new Error(`The engine tests need a running Docker engine.\n${text}\nIn CI, .ci/run starts one with scripts/provision.sh.`);
  }
  await ensureImages(docker, createProgressPrinter());
}

// The images a lab needs, on this engine: present, or built from their recipes when
// missing, and older builds of the same image removed.
import type { DockerClient } from './docker.js';
import { isNotFound } from './docker.js';
import type { EmitEvent } from './events.js';
import { runStep } from './events.js';
import { buildImage } from './image-build.js';
import type { ImageKind } from './image-recipes.js';
import { RECIPES, imageRef } from './image-recipes.js';
import { LABEL_IMAGE } from './labels.js';
import type { ImageReference } from '../lab/brands.js';

export async function imageExists(docker: DockerClient, ref: ImageReference): Promise<boolean> {
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** Builds the images that are missing (or all of them with `force`), in parallel. */
export async function ensureImages(
  docker: DockerClient,
  emit: EmitEvent,
  options: { kinds?: ImageKind[]; force?: boolean } = {},
): Promise<Record<ImageKind, ImageReference>> {
  const kinds = options.kinds ?? (['host', 'node'] as ImageKind[]);
  await Promise.all(
    kinds.map(async (kind) => {
      const ref = imageRef(kind);
      if (!options.force && (await imageExists(docker, ref))) return;
      await runStep(emit, 'build-image', kind, () => buildImage(docker, RECIPES[kind], emit), `${ref} from Debian packages`);
      await removeOutdatedImages(docker, kind, ref);
    }),
  );
  return { host: imageRef('host'), node: imageRef('node') };
}

/** Images of an older recipe only take space; those a lab still runs on stay. */
async function removeOutdatedImages(docker: DockerClient, kind: ImageKind, current: string): Promise<void> {
  const images = await docker.listImages({ filters: { label: [`${LABEL_IMAGE}=${kind}`] } });
  for (const image of images) {
    if ((image.RepoTags ?? []).includes(current)) continue;
    await docker
      .getImage(image.Id)
      .remove()
      .catch(() => undefined); // still in use by a running lab: keep it
  }
}

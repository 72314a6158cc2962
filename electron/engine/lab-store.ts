// The lab file as last applied, kept per lab so that `vxlab export` returns exactly
// what was deployed (unknown fields and layout included) and `up` of it changes nothing.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export class LabStore {
  readonly directory: string;

  constructor(directory = defaultStateDirectory()) {
    this.directory = directory;
  }

  private file(name: string): string {
    return join(this.directory, 'labs', `${name}.yaml`);
  }

  async save(name: string, text: string): Promise<void> {
    const file = this.file(name);
    await mkdir(join(this.directory, 'labs'), { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, text);
    await rename(partial, file);
  }

  async load(name: string): Promise<string | undefined> {
    try {
      return await readFile(this.file(name), 'utf8');
    } catch {
      return undefined;
    }
  }

  async remove(name: string): Promise<void> {
    await rm(this.file(name), { force: true });
  }
}

export function defaultStateDirectory(): string {
  if (process.env.VXLAB_STATE_DIR) return process.env.VXLAB_STATE_DIR;
  return join(process.env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'vxlab');
}

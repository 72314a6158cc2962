// The lab file as last applied, kept per lab so that `vxlab export` returns exactly
// what was deployed (unknown fields and layout included) and `up` of it changes nothing.
// A lab's name becomes a file name here, so only a valid lab name (the lab file's own
// rule) is ever joined into a path: `../../x` or `a/b` is refused, never read or deleted.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { MAX_LAB_NAME_LENGTH, nameFault } from '../lab/names.js';
import { EngineError } from './errors.js';

export class LabStore {
  readonly directory: string;

  constructor(directory = defaultStateDirectory()) {
    this.directory = directory;
  }

  private file(name: string): string {
    return join(this.directory, 'labs', `${checkedLabName(name)}.yaml`);
  }

  async save(name: string, text: string): Promise<void> {
    const file = this.file(name);
    await mkdir(join(this.directory, 'labs'), { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, text);
    await rename(partial, file);
  }

  async load(name: string): Promise<string | undefined> {
    const file = this.file(name);
    try {
      return await readFile(file, 'utf8');
    } catch {
      return undefined;
    }
  }

  async remove(name: string): Promise<void> {
    await rm(this.file(name), { force: true });
  }
}

/** `name` if it is a valid lab name; otherwise an error naming the rule it breaks. */
export function checkedLabName(name: string): string {
  const fault = typeof name === 'string' ? nameFault(name, MAX_LAB_NAME_LENGTH) : 'is not text';
  if (fault) {
    throw new EngineError(
      'invalid-name',
      `${JSON.stringify(String(name).slice(0, 80))} is not a lab name: it ${fault}.`,
      'A lab name is what `name:` says in its lab file: lowercase letters, digits and -, e.g. vxlan-basics.',
    );
  }
  return name;
}

export function defaultStateDirectory(): string {
  if (process.env.VXLAB_STATE_DIR) return process.env.VXLAB_STATE_DIR;
  return join(process.env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'vxlab');
}

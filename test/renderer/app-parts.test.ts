// The shell is put together from parts with one job each (app/use-*.ts): App.tsx
// itself holds no state and runs no effects, so a new concern gets a part of its own
// instead of growing the shell again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const source = readFileSync(join(import.meta.dirname, '../../renderer/src/App.tsx'), 'utf8');

describe('App.tsx', () => {
  it('holds no state and runs no effects of its own', () => {
    expect(source.match(/\buse(State|Reducer|Ref|Effect|LayoutEffect|SyncExternalStore)\b/g) ?? []).toEqual([]);
  });

  it('takes each job from its part', () => {
    const parts = [...source.matchAll(/import \{ (use\w+) \} from '\.\/app\/use-[\w-]+'/g)].map((match) => match[1]);
    expect(parts).toEqual(
      expect.arrayContaining(['useLabDocument', 'useLabFiles', 'useGallery', 'useLabSession', 'useDock', 'useNotices', 'useLabCommands', 'useFileShortcuts']),
    );
  });
});

// Problem paths, the one way vxlab names a place in a lab file: `containers[1].interfaces[0].ip`.

/** `base` and one more key or list index. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}

/** Keys and indexes, as zod and the YAML library give them, written as a path. */
export function pathText(segments: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of segments) text = joinPath(text, typeof segment === 'number' ? segment : String(segment));
  return text;
}

/** Splits `containers[1].interfaces[0].ip` into ['containers', 1, 'interfaces', 0, 'ip']. */
export function splitProblemPath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    segments.push(match[2] !== undefined ? Number(match[2]) : (match[1] ?? ''));
  }
  return segments;
}

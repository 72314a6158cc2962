// The start screen's "Recent" list: labs opened, saved or launched here, newest first,
// kept in localStorage with their text so one click reopens them.
import { parseLabText } from '../../../electron/lab/parse';

export const RECENT_KEY = 'vxlab.recent';
export const MAX_RECENT = 10;

export interface RecentLab {
  name: string;
  title: string;
  text: string;
  /** Milliseconds since the epoch. */
  when: number;
}

export function loadRecent(storage: Storage | undefined): RecentLab[] {
  try {
    const raw = storage?.getItem(RECENT_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter((entry): entry is RecentLab =>
        typeof entry?.name === 'string' && typeof entry?.text === 'string' && typeof entry?.when === 'number')
      .map((entry) => ({ ...entry, title: typeof entry.title === 'string' ? entry.title : '' }))
      .sort((a, b) => b.when - a.when)
      .slice(0, MAX_RECENT);
  } catch {
    return []; // a corrupt entry must not keep the app from starting
  }
}

/** Puts `text` first (replacing an entry of the same lab name) and keeps at most MAX_RECENT. */
export function addRecent(storage: Storage | undefined, text: string, now = Date.now()): RecentLab[] {
  const { name, title } = describeLabText(text);
  const entry: RecentLab = { name: name || 'untitled', title, text, when: now };
  const next = [entry, ...loadRecent(storage).filter((item) => item.name !== entry.name)].slice(0, MAX_RECENT);
  writeRecent(storage, next);
  return next;
}

export function removeRecent(storage: Storage | undefined, name: string): RecentLab[] {
  const next = loadRecent(storage).filter((item) => item.name !== name);
  writeRecent(storage, next);
  return next;
}

function writeRecent(storage: Storage | undefined, entries: RecentLab[]): void {
  try {
    storage?.setItem(RECENT_KEY, JSON.stringify(entries));
  } catch {
    // Storage full or disabled (private windows): the list is a convenience, not data.
  }
}

export interface LabFacts {
  name: string;
  title: string;
  hosts?: number;
  containers?: number;
  vnis?: number[];
}

/** Name and title of a lab file, with counts when it parses; falls back to the raw fields. */
export function describeLabText(text: string): LabFacts {
  const parsed = parseLabText(text);
  if (parsed.ok) {
    const lab = parsed.lab;
    return {
      name: lab.name,
      title: lab.title,
      hosts: lab.hosts.length,
      containers: lab.containers.length,
      vnis: lab.overlays.map((overlay) => overlay.vni),
    };
  }
  const field = (key: string) => new RegExp(`^${key}:\\s*(.+?)\\s*$`, 'm').exec(text)?.[1]?.replace(/^['"]|['"]$/g, '') ?? '';
  return { name: field('name'), title: field('title') };
}

/** "just now", "5 min ago", "3 h ago", "yesterday", or a date. */
export function formatWhen(when: number, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - when) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  if (hours < 48) return 'yesterday';
  return new Date(when).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

// Ctrl+S and Ctrl+O (Cmd on macOS), except in a terminal, where they belong to the
// program (nano, less), and in a dialog.
import { useEffect, useRef } from 'react';

export interface FileShortcuts {
  save(): void;
  open(): void;
  /** Save applies only while the editor shows. */
  canSave: boolean;
  /** Nothing applies while the app is blocked (no engine screen). */
  blocked: boolean;
}

export function useFileShortcuts(shortcuts: FileShortcuts): void {
  // The listener is added once; it reads the latest handlers through the ref.
  const latest = useRef(shortcuts);
  latest.current = shortcuts;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey) return;
      if ((event.target as Element | null)?.closest?.('.terminal-view, [role="dialog"]')) return;
      const key = event.key.toLowerCase();
      const { save, open, canSave, blocked } = latest.current;
      if (blocked) return;
      if (key === 's' && canSave) {
        event.preventDefault();
        save();
      } else if (key === 'o') {
        event.preventDefault();
        open();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

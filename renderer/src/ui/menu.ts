// What every context menu of the app does: focus its first item, close on Escape or a
// click elsewhere, move with the arrow keys (and keep those keys from the canvas).
import { useCallback, useEffect, useRef } from 'react';
import type { KeyboardEvent } from 'react';

const ITEMS = '[role="menuitem"]:not([disabled])';

export function useMenuBehaviour(onClose: () => void) {
  const menu = useRef<HTMLDivElement>(null);
  useEffect(() => {
    menu.current?.querySelector<HTMLElement>(ITEMS)?.focus();
    const away = (event: MouseEvent) => {
      if (!menu.current?.contains(event.target as Node)) onClose();
    };
    window.addEventListener('mousedown', away);
    return () => window.removeEventListener('mousedown', away);
  }, [onClose]);
  const onKeyDown = useCallback(
    (event: KeyboardEvent) => {
      const items = [...(menu.current?.querySelectorAll<HTMLElement>(ITEMS) ?? [])];
      const at = items.indexOf(document.activeElement as HTMLElement);
      if (event.key === 'Escape') onClose();
      else if (event.key === 'ArrowDown') items[(at + 1) % items.length]?.focus();
      else if (event.key === 'ArrowUp') items[(at - 1 + items.length) % items.length]?.focus();
      else return;
      event.preventDefault();
      event.stopPropagation();
    },
    [onClose],
  );
  return { menu, onKeyDown };
}

// One terminal of the dock: shows the tab's emulator, keeps it sized to the panel,
// offers copy and paste on right-click, and Retry once its session failed or ended.
import { useEffect, useRef, useState } from 'react';
import './terminal-view.css';
import { useMenuBehaviour } from '../ui/menu';
import type { TerminalStore, TerminalTab } from './terminal-store';
import { copyText, readClipboard } from './clipboard';

export function TerminalView({ store, tab, active }: { store: TerminalStore; tab: TerminalTab; active: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const [menu, setMenu] = useState<{ x: number; y: number } | undefined>();

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    store.attach(tab.key, element);
    if (typeof ResizeObserver === 'undefined') return;
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => store.fit(tab.key));
    });
    observer.observe(element);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, [store, tab.key]);

  useEffect(() => {
    if (!active) return;
    store.fit(tab.key);
    store.focus(tab.key);
  }, [active, store, tab.key]);

  const adapter = () => store.adapter(tab.key);
  const act = (action: () => void | Promise<unknown>) => () => {
    setMenu(undefined);
    void action();
    store.focus(tab.key);
  };

  return (
    <div className="terminal-frame">
      <div
        ref={host}
        className="terminal-view"
        role="region"
        aria-label={tab.accessibleName}
        data-state={tab.state}
        onContextMenu={(event) => {
          event.preventDefault();
          const bounds = event.currentTarget.getBoundingClientRect();
          setMenu({ x: event.clientX - bounds.left, y: event.clientY - bounds.top });
        }}
      />
      {(tab.state === 'failed' || tab.state === 'exited') && (
        <div className="terminal-ended">
          <span className="terminal-ended-message" title={tab.message}>
            {tab.message}
          </span>
          <button
            type="button"
            className="button button-primary terminal-retry"
            aria-label={`Retry terminal ${tab.label}`}
            onClick={() => {
              store.retry(tab.key);
              store.focus(tab.key);
            }}
          >
            Retry
          </button>
        </div>
      )}
      {menu && (
        <ContextMenu
          x={menu.x}
          y={menu.y}
          label={`${tab.label} terminal`}
          onClose={() => setMenu(undefined)}
          items={[
            { label: 'Copy', shortcut: 'Ctrl+Shift+C', run: act(() => copyText(adapter()?.getSelection() ?? '')) },
            { label: 'Paste', shortcut: 'Ctrl+Shift+V', run: act(async () => {
              const text = await readClipboard();
              if (text) adapter()?.paste(text);
            }) },
            { label: 'Select all', run: act(() => adapter()?.selectAll()) },
            { label: 'Clear', run: act(() => adapter()?.clear()) },
          ]}
        />
      )}
    </div>
  );
}

interface MenuItem {
  label: string;
  shortcut?: string;
  run(): void;
}

function ContextMenu({ x, y, label, items, onClose }: { x: number; y: number; label: string; items: MenuItem[]; onClose(): void }) {
  const { menu, onKeyDown } = useMenuBehaviour(onClose);
  return (
    <div ref={menu} className="context-menu" role="menu" aria-label={label} style={{ left: x, top: y }} onKeyDown={onKeyDown}>
      {items.map((item) => (
        <button key={item.label} type="button" role="menuitem" className="context-item" onClick={item.run}>
          <span>{item.label}</span>
          {item.shortcut && <kbd>{item.shortcut}</kbd>}
        </button>
      ))}
    </div>
  );
}

// xterm.js behind the TerminalAdapter interface, with the dock's theme and the
// Ctrl+Shift+C / Ctrl+Shift+V copy and paste of desktop terminals.
import { Terminal } from '@xterm/xterm';
import type { ITheme } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import type { TerminalAdapter, TerminalSize } from './adapter';
import { copyText, readClipboard } from './clipboard';

const THEME: ITheme = {
  background: '#0d1117',
  foreground: '#d4d9e1',
  cursor: '#6ea8fe',
  cursorAccent: '#0d1117',
  selectionBackground: '#2d4a78',
  black: '#1b1f27',
  red: '#f2777a',
  green: '#7fc98a',
  yellow: '#e6c170',
  blue: '#6ea8fe',
  magenta: '#c594e8',
  cyan: '#66c9d4',
  white: '#d4d9e1',
  brightBlack: '#5c6573',
  brightRed: '#ff9a9c',
  brightGreen: '#9ee0a8',
  brightYellow: '#f5d58f',
  brightBlue: '#95c0ff',
  brightMagenta: '#dab2f5',
  brightCyan: '#8fdde6',
  brightWhite: '#f3f5f8',
};

export function createXtermAdapter(): TerminalAdapter {
  const terminal = new Terminal({
    fontFamily: '"JetBrains Mono", "Cascadia Mono", "Fira Code", "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace',
    fontSize: 13,
    lineHeight: 1.15,
    cursorBlink: true,
    scrollback: 5_000,
    theme: THEME,
    allowProposedApi: false,
    rightClickSelectsWord: false,
  });
  const fitAddon = new FitAddon();
  terminal.loadAddon(fitAddon);
  let opened = false;

  terminal.attachCustomKeyEventHandler((event) => {
    if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey || event.altKey) return true;
    const key = event.key.toLowerCase();
    if (key === 'c') {
      void copyText(terminal.getSelection());
      event.preventDefault();
      return false;
    }
    if (key === 'v') {
      // Denied clipboard access leaves the native paste (Ctrl+V, the browser's menu).
      void readClipboard().then((text) => text && terminal.paste(text));
      event.preventDefault();
      return false;
    }
    return true;
  });

  return {
    attach(element) {
      if (!opened) {
        terminal.open(element);
        opened = true;
      } else if (terminal.element && terminal.element.parentElement !== element) {
        element.appendChild(terminal.element);
      }
    },
    write: (data, written) => terminal.write(data, written),
    onInput: (listener) => void terminal.onData(listener),
    fit(): TerminalSize | undefined {
      if (!opened) return undefined;
      const proposed = fitAddon.proposeDimensions();
      if (!proposed || !Number.isFinite(proposed.cols) || !Number.isFinite(proposed.rows) || proposed.cols < 2 || proposed.rows < 1) return undefined;
      if (proposed.cols !== terminal.cols || proposed.rows !== terminal.rows) fitAddon.fit();
      return { cols: terminal.cols, rows: terminal.rows };
    },
    focus: () => terminal.focus(),
    getSelection: () => terminal.getSelection(),
    paste: (text) => terminal.paste(text),
    selectAll: () => terminal.selectAll(),
    clear: () => terminal.clear(),
    dispose: () => terminal.dispose(),
  };
}

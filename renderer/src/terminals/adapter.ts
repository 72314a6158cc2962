// The terminal emulator behind a small interface: the dock drives xterm.js through it,
// and component tests substitute a fake (happy-dom cannot lay out or render xterm).

export interface TerminalSize {
  cols: number;
  rows: number;
}

export interface TerminalAdapter {
  /** Renders into `element`; a later call moves the rendered terminal there. */
  attach(element: HTMLElement): void;
  /** Writes output; `written` runs once the emulator has processed it. */
  write(data: string, written?: () => void): void;
  /** Keystrokes and pastes the person typed. */
  onInput(listener: (data: string) => void): void;
  /** Fits rows and columns to the element; undefined when the element has no size (a hidden tab). */
  fit(): TerminalSize | undefined;
  focus(): void;
  getSelection(): string;
  paste(text: string): void;
  selectAll(): void;
  clear(): void;
  dispose(): void;
}

export type CreateTerminalAdapter = () => TerminalAdapter;

export const DEFAULT_TERMINAL_SIZE: TerminalSize = { cols: 80, rows: 24 };

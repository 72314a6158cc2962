// Terminal sessions: a person's shell in a lab node (a dockerode exec with a TTY) or on
// the machine (node-pty). Output is batched and flow-controlled so that a flood such as
// `yes | head -c 50000000` cannot outrun the renderer.
// (Interface first; the implementation is being written.)

export interface TerminalSize {
  cols: number;
  rows: number;
}

export type TerminalTarget = { kind: 'node'; lab: string; node: string } | { kind: 'machine' };

export interface TerminalSink {
  /** Output, already decoded as UTF-8 (a multi-byte character is never split). */
  data(id: string, data: string): void;
  /** The session ended: its command exited, or its node went away (`reason` says so). */
  exit(id: string, exitCode: number | undefined, reason?: string): void;
}

export interface TerminalManager {
  open(target: TerminalTarget, size: TerminalSize, sink: TerminalSink): Promise<{ id: string; title: string }>;
  input(id: string, data: string): void;
  resize(id: string, size: TerminalSize): Promise<void>;
  /** The renderer has written `chars` more characters: lets paused output flow again. */
  ack(id: string, chars: number): void;
  close(id: string): void;
  /** Ends every session opened with this sink (a window or browser tab went away). */
  closeAllFor(sink: TerminalSink): void;
}

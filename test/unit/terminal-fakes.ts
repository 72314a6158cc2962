// Stand-ins for what a terminal runs, for tests of the rules around terminals.
import type { PtyModule } from '../../electron/engine/terminals.js';

/** A machine shell that prints nothing and ends when killed: the limits count sessions, whatever they run. */
export const quietPty: PtyModule = {
  spawn: (() => {
    let exit: (event: { exitCode: number }) => void = () => {};
    return {
      onData: () => ({ dispose() {} }),
      onExit: (listener: (event: { exitCode: number }) => void) => ((exit = listener), { dispose() {} }),
      write: () => {},
      resize: () => {},
      kill: () => exit({ exitCode: 0 }),
    };
  }) as unknown as PtyModule['spawn'],
};

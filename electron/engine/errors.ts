// Errors a person can act on. Each carries a stable code, a plain sentence and,
// where there is one, what to do next; the CLI and the app print them as they are.

export type EngineErrorCode =
  | 'engine-unreachable'
  | 'vxlan-unsupported'
  | 'image-build-failed'
  | 'image-missing'
  | 'lab-invalid'
  | 'lab-not-found'
  | 'name-in-use'
  | 'subnet-in-use'
  | 'host-died'
  | 'node-not-found'
  | 'step-failed'
  | 'limit-reached'
  | 'capture-failed'
  | 'invalid-name'
  | 'not-root';

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly hint?: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** The message and the hint together, as a person reads it. */
  describe(): string {
    return this.hint ? `${this.message}\n  ${this.hint}` : this.message;
  }
}

export function isEngineError(error: unknown): error is EngineError {
  return error instanceof EngineError;
}

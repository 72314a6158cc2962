// A value that React reads with useSyncExternalStore: replaced whole on each change.
export class Observable<S> {
  private readonly listeners = new Set<() => void>();

  constructor(protected state: S) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): S => this.state;

  protected set(change: Partial<S>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }

  protected clearListeners(): void {
    this.listeners.clear();
  }
}

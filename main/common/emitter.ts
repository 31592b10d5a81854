/**
 * One kind of event and the functions listening to it, VS Code style: `onDidChange(listener)`
 * subscribes and returns the function that unsubscribes. A listener that throws does not stop the
 * others; `onError` hears about it.
 */
export type Event<T> = (listener: (value: T) => void) => () => void;

export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  constructor(private readonly onError: (error: unknown) => void = () => undefined) {}

  readonly event: Event<T> = (listener) => {
    const entry = (value: T) => listener(value);
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}

/** An in-memory Web Storage for tests that run without a browser. */
export class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  [name: string]: unknown;

  get length(): number {
    return this.items.size;
  }

  clear(): void {
    this.items.clear();
  }

  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }

  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }

  removeItem(key: string): void {
    this.items.delete(key);
  }

  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
}

/** The parts of `window` the API client touches, for installing with `vi.stubGlobal('window', ...)`. */
export function browserWindowShim(sessionStorage: Storage = new MemoryStorage(), localStorage: Storage = new MemoryStorage()) {
  return { sessionStorage, localStorage, location: { origin: 'http://localhost' } };
}

/**
 * Counts attempts per key (a client address) in fixed windows, in this process's memory, like the
 * rate-limit plugin's own store. It exists because that plugin runs one limiter per request, and
 * the login needs two: per address and account (the plugin), and per address over every account
 * (this one). The map is bounded: past `maxKeys`, the oldest windows are dropped.
 */
export class AddressLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();
  readonly #max: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;

  constructor(options: { max: number; windowMs: number; maxKeys?: number }) {
    this.#max = options.max;
    this.#windowMs = options.windowMs;
    this.#maxKeys = options.maxKeys ?? 10_000;
  }

  /** Records an attempt; false when the key is over its limit in the current window. */
  hit(key: string, now: number): boolean {
    let window = this.#windows.get(key);
    if (!window || now - window.start >= this.#windowMs) {
      window = { start: now, count: 0 };
    }
    window.count++;
    // Re-insert so the map's order is least recently used first.
    this.#windows.delete(key);
    this.#windows.set(key, window);
    while (this.#windows.size > this.#maxKeys) {
      const oldest = this.#windows.keys().next().value;
      if (oldest === undefined) break;
      this.#windows.delete(oldest);
    }
    return window.count <= this.#max;
  }
}

/**
 * Things held open per key (connections per client address, export downloads per workspace),
 * each key capped. A key's count is removed at zero, so the map holds only keys with something
 * open.
 */
export class OpenCounts<K> {
  readonly #open = new Map<K, number>();

  /**
   * Takes a place for `key` if fewer than `cap` are open. Returns the function that gives it back
   * (calling it more than once gives back one place), or `undefined` when the key is at its cap.
   */
  tryOpen(key: K, cap: number): (() => void) | undefined {
    const count = this.#open.get(key) ?? 0;
    if (count >= cap) return undefined;
    this.#open.set(key, count + 1);
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      const left = (this.#open.get(key) ?? 1) - 1;
      if (left > 0) this.#open.set(key, left);
      else this.#open.delete(key);
    };
  }
}

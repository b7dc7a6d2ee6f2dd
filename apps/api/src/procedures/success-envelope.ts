/**
 * The `{ success: true, ... }` envelope the Entity Tags and 001 documents wrap a write's answer
 * in, around the domain's plain result (or none: `{ success: true }` alone).
 */
export async function succeeded<T extends object>(result: Promise<T | void>): Promise<{ success: true } & T> {
  return { success: true, ...((await result) as T) };
}

/**
 * The `{ success: true, ... }` envelope the Entity Tags and 001 documents wrap a write's answer
 * in, around the domain's plain result (or none: `{ success: true }` alone).
 */
export async function succeeded(result: Promise<void>): Promise<{ success: true }>;
export async function succeeded<T extends object>(result: Promise<T>): Promise<{ success: true } & T>;
export async function succeeded(result: Promise<unknown>): Promise<{ success: true }> {
  const value = await result;
  return { success: true, ...(typeof value === 'object' && value !== null ? value : {}) };
}

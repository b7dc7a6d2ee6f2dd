import type { FastifyInstance } from 'fastify';
import { sendSurfaceError } from '../errors/surface-errors.ts';
import { requestHook } from './hook-forms.ts';

/**
 * JSON nested deeper than any input schema goes. JSON.parse takes far deeper documents than the
 * adapters' JSON.stringify, Zod or tRPC's input handling can (a stack overflow), so depth is
 * refused before any surface runs: bodies on every surface, and tRPC's `input` query parameter.
 */
export const maxBodyDepth = 64;

const isNode = (item: unknown): item is object => typeof item === 'object' && item !== null;

/** True when a parsed JSON value nests objects or arrays `maxBodyDepth` levels or more. */
export function nestedTooDeep(value: unknown): boolean {
  // Only objects and arrays are queued: a bulk body's 20,000 strings would be as many entries.
  const pending: [object, number][] = isNode(value) ? [[value, 0]] : [];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (depth >= maxBodyDepth) return true;
    for (const child of Object.values(item)) if (isNode(child)) pending.push([child, depth + 1]);
  }
  return false;
}

/** The same test on JSON text, without parsing it: brackets outside strings. */
export function jsonTextTooDeep(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') {
      if (++depth > maxBodyDepth) return true;
    } else if (char === '}' || char === ']') depth--;
  }
  return false;
}

/** Refuses (400, in the surface's error shape) a request whose JSON input nests too deep. */
export function registerBodyDepthLimit(app: FastifyInstance): void {
  app.addHook(
    'preHandler',
    requestHook((req, reply) => {
      const query = req.query as Record<string, unknown> | undefined;
      const input = typeof query?.input === 'string' ? query.input : '';
      // tRPC's scope keeps its body as text (its own parser reads it later).
      const body = req.body;
      const tooDeep = typeof body === 'string' ? jsonTextTooDeep(body) : nestedTooDeep(body);
      if (tooDeep || jsonTextTooDeep(input))
        return sendSurfaceError(reply, 400, `the input is nested more than ${maxBodyDepth} levels deep`);
    }),
  );
}

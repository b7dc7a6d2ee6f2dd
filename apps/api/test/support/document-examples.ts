import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/**
 * The four API documents (`test/documents/`, verbatim copies of the specification in
 * `seeds/`) and the examples in them, read from their text: request bodies and responses of
 * document 000's sections, document 002's curl commands and responses, document 003's curl
 * bodies and "returns JSON structured like this" blocks, document 001's inline snippets.
 */
export const documentText = (name: '000' | '001' | '002' | '003'): string => {
  const files = {
    '000': '000_606f023824904c26.txt',
    '001': '001_29f6db1ec82ce511.txt',
    '002': '002_56baf61103ef2d9e.txt',
    '003': '003_fbd9c02f780fd751.txt',
  };
  return readFileSync(new URL(`../documents/${files[name]}`, import.meta.url), 'utf8');
};

/** The JSON value that starts at the first `{` at or after `from` (strings and nesting respected). */
export function jsonAt(text: string, from: number): { value: unknown; end: number } {
  const start = text.indexOf('{', from);
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') {
      depth--;
      if (depth === 0) return { value: JSON.parse(text.slice(start, i + 1)), end: i + 1 };
    }
  }
  throw new Error(`no JSON value after ${from}`);
}

/** A document 000 section: its endpoint and its request and response examples. */
export type EndpointExample = { title: string; method: string; path: string; request?: unknown; response?: unknown };

/** Document 000's endpoints, in order (`### Title`, `**Endpoint:** \`METHOD path\``, json blocks). */
export function entityTagsExamples(): EndpointExample[] {
  const text = documentText('000');
  return text
    .split('\n### ')
    .slice(1)
    .flatMap((section) => {
      const endpoint = /\*\*Endpoint:\*\* `(\w+) ([^`]+)`/.exec(section);
      if (!endpoint?.[1] || !endpoint[2]) return [];
      const block = (heading: string) => {
        const at = section.indexOf(`#### ${heading}`);
        return at === -1 ? undefined : jsonAt(section, at).value;
      };
      const title = section.slice(0, section.indexOf('\n')).trim();
      const request = block('Request Body');
      const response = block('Response');
      return [
        {
          title,
          method: endpoint[1],
          path: endpoint[2],
          ...(request === undefined ? {} : { request }),
          ...(response === undefined ? {} : { response }),
        },
      ];
    });
}

/** Document 002's sections: `### METHOD /path`, the curl example's body, the response. */
export function zapiniExamples(): EndpointExample[] {
  const text = documentText('002');
  return text
    .split('\n### ')
    .slice(1)
    .map((section) => {
      const [method = '', path = ''] = section.slice(0, section.indexOf('\n')).trim().split(' ');
      const curl = section.indexOf("-d '");
      const response = section.indexOf('**Response:**');
      return {
        title: `${method} ${path}`,
        method,
        path,
        ...(curl === -1 ? {} : { request: jsonAt(section, curl).value }),
        ...(response === -1 ? {} : { response: jsonAt(section, response).value }),
      };
    });
}

/** Document 003's operations: each curl `-d '…'` body (as a client sends it) and its response. */
export function bcrumbsExamples(): { operationName: string; request: Record<string, unknown>; response: unknown }[] {
  const text = documentText('003');
  const examples: { operationName: string; request: Record<string, unknown>; response: unknown }[] = [];
  let from = 0;
  for (;;) {
    const returns = text.indexOf('returns JSON structured like this:', from);
    if (returns === -1) return examples;
    const response = jsonAt(text, returns);
    const curl = text.indexOf("-d '", response.end);
    const body = text.slice(curl + 4, text.indexOf("'", curl + 4));
    // The document shows the shell text of the body: `\\n` inside it is the JSON escape `\n`.
    const request = JSON.parse(body.replaceAll('\\\\n', '\\n')) as Record<string, unknown>;
    examples.push({ operationName: String(request.operationName), request, response: response.value });
    from = curl + 4;
  }
}

const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * Checks `actual` field by field against a document's example: every field the example has is
 * there; a timestamp is a timestamp; an id of the document (a key of `ids`) is the server's id
 * it stands for, and an id matched by one of `anyIds` is any id of that form; every other value
 * is equal. Fields the example does not show may be there too (the documents show a subset).
 */
export function expectLikeExample(
  actual: unknown,
  example: unknown,
  ids: Record<string, string>,
  anyIds: RegExp[] = [],
  path = '$',
): void {
  if (typeof example === 'string' && example in ids) return void expect(actual, path).toBe(ids[example]);
  if (typeof example === 'string' && anyIds.some((pattern) => pattern.test(example)))
    return void expect(
      anyIds.some((pattern) => pattern.test(String(actual))),
      `${path}: ${String(actual)}`,
    ).toBe(true);
  if (typeof example === 'string' && isoTimestamp.test(example)) return void expect(actual, path).toMatch(isoTimestamp);
  if (Array.isArray(example)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, `${path}.length`).toBe(example.length);
    example.forEach((item, index) =>
      expectLikeExample((actual as unknown[])[index], item, ids, anyIds, `${path}[${index}]`),
    );
    return;
  }
  if (typeof example === 'object' && example !== null) {
    expect(typeof actual === 'object' && actual !== null, path).toBe(true);
    for (const [key, value] of Object.entries(example)) {
      expect(actual, path).toHaveProperty([key]);
      expectLikeExample((actual as Record<string, unknown>)[key], value, ids, anyIds, `${path}.${key}`);
    }
    return;
  }
  expect(actual, path).toEqual(example);
}

/** A request example with the document's ids replaced by the server's (`ids`), in JSON text. */
export function withIds<T>(example: T, ids: Record<string, string>): T {
  let text = JSON.stringify(example);
  // Longest first, so that `wtag_abc123` is not replaced inside a longer id.
  for (const [documentId, id] of Object.entries(ids).sort(([a], [b]) => b.length - a.length))
    text = text.replaceAll(documentId, id);
  return JSON.parse(text) as T;
}

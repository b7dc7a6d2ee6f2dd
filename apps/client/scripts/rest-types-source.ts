import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3, type SchemaObject } from 'openapi-typescript';
import ts from 'typescript';
import { format, resolveConfig } from 'prettier';
import { openApiDocument } from '@tagging/api/openapi';

/** Where the generated REST types are committed. */
export const restTypesPath = fileURLToPath(new URL('../src/generated/rest-api.ts', import.meta.url));

export const generateCommand = 'pnpm --filter @tagging/client generate';

const header = `// Generated from the API's OpenAPI document by \`${generateCommand}\`. Do not edit.
/* eslint-disable */
`;

/**
 * Any JSON value (contact and session `metadata`). openapi-typescript writes this recursive schema
 * as a union that refers to itself through `components`, which TypeScript rejects (TS2502); a
 * named recursive alias says the same and compiles.
 */
const jsonValueType =
  'export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };';
const jsonTypes = ['array', 'boolean', 'null', 'number', 'object', 'string'].join();

const isJsonValueSchema = (schema: SchemaObject) =>
  Array.isArray(schema.anyOf) &&
  schema.anyOf
    .map((member) => ('type' in member ? String(member.type) : ''))
    .sort()
    .join() === jsonTypes;

/**
 * The TypeScript source of the REST types: the document the API serves (built in-process, no
 * server), through openapi-typescript, formatted with the repository's Prettier settings so the
 * same document always gives the same bytes.
 */
export async function generateRestTypes(): Promise<string> {
  const document = openApiDocument('http://localhost') as unknown as OpenAPI3;
  const nodes = await openapiTS(document, {
    silent: true,
    alphabetize: true,
    inject: jsonValueType,
    transform: (schema) => (isJsonValueSchema(schema) ? ts.factory.createTypeReferenceNode('JsonValue') : undefined),
  });
  const source = header + astToString(nodes);
  const config = await resolveConfig(restTypesPath);
  return format(source, { ...config, filepath: restTypesPath });
}

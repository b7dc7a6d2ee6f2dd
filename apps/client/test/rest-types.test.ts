import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateCommand, generateRestTypes, restTypesPath } from '../scripts/rest-types-source.ts';

describe('the REST client types', () => {
  it('generated REST types are current', async () => {
    const committed = await readFile(restTypesPath, 'utf8');
    const fresh = await generateRestTypes();
    // A plain comparison: a diff of a 100 KB file helps less than the command that fixes it.
    expect(
      fresh === committed,
      `src/generated/rest-api.ts is out of date with the API's OpenAPI document: run \`${generateCommand}\``,
    ).toBe(true);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import {
  createTestDatabaseTemplate,
  dropTestDatabaseTemplate,
  type TestDatabaseTemplate,
} from '@tagging/domain/testing';
import { readEnv } from '../src/env.ts';

declare module 'vitest' {
  // Module augmentation merges only with an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  export interface ProvidedContext {
    testDatabaseTemplate: TestDatabaseTemplate;
  }
}

let template: TestDatabaseTemplate | undefined;
let scratch: string | undefined;

/** Builds the migrated template database once per run; each test file clones it. */
export async function setup(project: TestProject): Promise<void> {
  scratch = await mkdtemp(path.join(tmpdir(), 'tagging-test-'));
  template = await createTestDatabaseTemplate({
    databaseUrl: readEnv().DATABASE_URL,
    dumpFile: path.join(scratch, 'template.tar'),
  });
  project.provide('testDatabaseTemplate', template);
}

export async function teardown(): Promise<void> {
  if (template) await dropTestDatabaseTemplate(template);
  if (scratch) await rm(scratch, { recursive: true, force: true });
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { config } from './config.ts';
import { api, expectStatus } from './http.ts';
import type { LoadResult } from './load.ts';
import { startServer } from './server.ts';
import { runLoad } from './single-op.ts';

const sessions = 10_000;
const tags = 10;

/** The default (embedded PGlite) server: tag a session over REST at 32 connections. */
export async function pgliteTagSession(logFile: string): Promise<LoadResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-pglite-'));
  const apiKey = 'tgk_bench_embedded_key_0123456789';
  const server = await startServer({
    port: config.port + 1,
    env: { DATA_DIR: dataDir, DEMO_API_KEY: apiKey, DATABASE_URL: '' },
    logFile,
  });
  try {
    const target = api(server.baseUrl, apiKey);
    const tagIds: string[] = [];
    for (let t = 0; t < tags; t++) {
      const { status, body } = await target.call<{ id: string }>('POST', '/api/tags', { name: `Tag ${t}` });
      expectStatus('create tag', status, [201], body);
      tagIds.push(body.id);
    }
    const made = await target.call<{ ids: string[] }>('POST', '/api/sessions/bulk', {
      sessions: Array.from({ length: sessions }, (_, i) => ({ name: `Session ${i}` })),
    });
    expectStatus('create sessions', made.status, [200, 201], made.body);
    const ids = made.body.ids;
    const workspaceId = 1;
    let i = 0;
    const next = () => {
      const sessionId = ids[i % ids.length] ?? '';
      const tagId = tagIds[Math.floor(i / ids.length) % tagIds.length] ?? '';
      i++;
      return {
        method: 'POST' as const,
        path: `/api/entity-tags/sessions/${sessionId}/tags?workspaceId=${workspaceId}`,
        body: JSON.stringify({ tagId }),
      };
    };
    await runLoad(target, next, config.warmupSeconds);
    return await runLoad(target, next);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

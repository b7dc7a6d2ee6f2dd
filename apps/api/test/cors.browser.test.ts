import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumUnavailable, launchChromium, type HeadlessChromium } from '../testing/chromium.ts';
import type * as Sdk from '@tagging/client';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

/**
 * CORS in a real browser (issue 19): Debian's Chromium, driven by playwright-core, loads a page
 * from another origin (a second local HTTP server) that calls the API with the SDK, bundled for
 * the browser by Vite in this test. From the allowed origin its tRPC client and its REST client
 * work, custom request headers (`If-Match`, `Idempotency-Key`) included and `ETag` readable;
 * from an origin not on CORS_ORIGINS the browser refuses every call.
 */
const sdkEntry = fileURLToPath(new URL('./support/browser/sdk-entry.ts', import.meta.url));

const unavailable = await chromiumUnavailable();
if (unavailable) console.warn(`CORS browser test skipped: no Chromium (${unavailable})`);

/** The SDK bundled as an ES module for the browser, the way a front end's bundler would. */
async function bundledSdk(): Promise<string> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'tagging-sdk-bundle-'));
  try {
    await build({
      configFile: false,
      logLevel: 'warn',
      root: path.dirname(sdkEntry),
      build: {
        outDir,
        emptyOutDir: true,
        minify: false,
        lib: { entry: sdkEntry, formats: ['es'], fileName: () => 'sdk.js' },
      },
      define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    });
    return await readFile(path.join(outDir, 'sdk.js'), 'utf8');
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** A front end's own server: an HTML page that loads the bundled SDK, on a port of its own. */
async function pageServer(sdk: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    if (req.url === '/sdk.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(sdk);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>front end</title><script type="module" src="/sdk.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The SDK in the page, where `support/browser/sdk-entry.ts` puts it. */
type PageGlobal = { taggingSdk: typeof Sdk };

describe.skipIf(unavailable !== undefined)('CORS in Chromium', () => {
  let api: TestServer;
  let tenant: WorkspaceFixture;
  let allowed: { server: Server; origin: string };
  let refused: { server: Server; origin: string };
  let browser: HeadlessChromium | undefined;
  let context: BrowserContext;
  const consoleLines: string[] = [];

  beforeAll(async () => {
    const sdk = await bundledSdk();
    [allowed, refused] = await Promise.all([pageServer(sdk), pageServer(sdk)]);
    api = await startTestServer({ corsOrigins: [allowed.origin] });
    tenant = await fixture(api, 'Front end');

    browser = await launchChromium();
    context = browser.context;
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(
      [allowed?.server, refused?.server].map((server) => server && new Promise((resolve) => server.close(resolve))),
    );
    await api?.close();
  });

  /** A fresh page of the front end at `origin`, the SDK loaded, its console noted. */
  async function frontEnd(origin: string): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (message) => consoleLines.push(message.text()));
    const response = await page.goto(`${origin}/`);
    expect(response?.status()).toBe(200);
    await page.waitForFunction(() => 'taggingSdk' in globalThis);
    expect(new URL(page.url()).origin).not.toBe(new URL(api.url).origin);
    return page;
  }

  it('an allowed origin uses the tRPC client and the REST client (headers sent and read)', async () => {
    const page = await frontEnd(allowed.origin);
    const seen = await page.evaluate(
      async ({ baseUrl, apiKey }) => {
        const { createTaggingClient, createTaggingRestClient, unwrap } = (globalThis as unknown as PageGlobal)
          .taggingSdk;
        const trpc = createTaggingClient({ baseUrl, apiKey });
        // Calls made together go as one batch request (`/trpc/contacts.create,tags.create`).
        const [contact, tag] = await Promise.all([
          trpc.contacts.create.mutate({ name: 'Ada' }),
          trpc.tags.create.mutate({ name: 'From the browser' }),
        ]);
        const session = await trpc.sessions.create.mutate({ contactId: contact.id });
        const listed = await trpc.tags.list.query({});

        const rest = createTaggingRestClient({ baseUrl, apiKey });
        const restTag = await unwrap(
          rest.POST('/tags', { body: { name: 'Over REST' }, headers: { 'Idempotency-Key': crypto.randomUUID() } }),
        );
        const restList = await unwrap(rest.GET('/tags'));
        // Zapini: the ETag is readable (exposed) and goes back as If-Match.
        const read = await rest.GET('/v1/conversations/{uuid}/tags', { params: { path: { uuid: session.id } } });
        const etag = read.response.headers.get('etag');
        const replaced = await rest.PUT('/v1/conversations/{uuid}/tags', {
          params: { path: { uuid: session.id }, header: { 'If-Match': etag ?? '' } },
          body: { tag_ids: [tag.id] },
        });
        // A tool on the page (an API explorer) reads the OpenAPI document.
        const document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as { openapi: string };
        return {
          openapi: document.openapi,
          listed: listed.tags.map((t) => t.name).sort(),
          restTag: restTag.name,
          restList: restList.tags.map((t) => t.name).sort(),
          etag,
          replaced: replaced.response.status,
          conversationTags: replaced.data?.data.tags.map((t) => t.name),
        };
      },
      { baseUrl: api.url, apiKey: tenant.apiKey },
    );
    expect(seen).toEqual({
      openapi: expect.stringMatching(/^3\.1\./),
      listed: ['From the browser'],
      restTag: 'Over REST',
      restList: ['From the browser', 'Over REST'],
      etag: expect.stringMatching(/^"[0-9a-f]+"$/),
      replaced: 200,
      conversationTags: ['From the browser'],
    });
    await page.close();
  });

  it('a page from another origin is refused by the browser, over tRPC and REST alike', async () => {
    const page = await frontEnd(refused.origin);
    const failures = await page.evaluate(
      async ({ baseUrl, apiKey }) => {
        const { createTaggingClient, createTaggingRestClient, unwrap } = (globalThis as unknown as PageGlobal)
          .taggingSdk;
        const failureOf = (call: Promise<unknown>) =>
          call.then(
            () => 'succeeded',
            (error: unknown) => (error instanceof Error ? error.message : String(error)),
          );
        return {
          trpc: await failureOf(createTaggingClient({ baseUrl, apiKey }).tags.create.mutate({ name: 'Never' })),
          rest: await failureOf(unwrap(createTaggingRestClient({ baseUrl, apiKey }).GET('/tags'))),
        };
      },
      { baseUrl: api.url, apiKey: tenant.apiKey },
    );
    expect(failures.trpc).toMatch(/failed to fetch/i);
    expect(failures.rest).toMatch(/failed to fetch/i);
    // It is CORS that refused them, and nothing was written.
    expect(consoleLines.filter((line) => line.includes(refused.origin) && /CORS policy/.test(line))).not.toEqual([]);
    expect(consoleLines.filter((line) => line.includes(allowed.origin) && /CORS policy/.test(line))).toEqual([]);
    const { tags } = await tenant.trpc.tags.list.query({});
    expect(tags.map((t) => t.name)).not.toContain('Never');
    await page.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumUnavailable, launchChromium, type HeadlessChromium } from '../testing/chromium.ts';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';

/**
 * `/docs` in a real browser: Debian's Chromium, driven by playwright-core, loads the page from a
 * real server, finds the routes of every dialect, takes an API key in the Authorize dialog and
 * calls the API from the page.
 */

const unavailable = await chromiumUnavailable();
if (unavailable) console.warn(`docs page browser test skipped: no Chromium (${unavailable})`);

describe.skipIf(unavailable !== undefined)('the /docs page in Chromium', () => {
  let server: TestServer;
  let workspace: TestWorkspace;
  let browser: HeadlessChromium | undefined;
  let context: BrowserContext;
  let page: Page;
  const foreignRequests: string[] = [];
  const tagName = `Docs page VIP ${Date.now()}`;

  beforeAll(async () => {
    server = await startTestServer();
    workspace = await server.newWorkspace('Docs');
    const created = await restCall(server, 'POST', '/api/tags', { apiKey: workspace.apiKey, body: { name: tagName } });
    expect(created.status).toBe(201);

    browser = await launchChromium();
    context = browser.context;
    // Every asset must come from this server (the machine may have no internet): note and
    // refuse anything else.
    await context.route(
      (url) => url.origin !== new URL(server.url).origin && url.protocol !== 'data:',
      async (route) => {
        foreignRequests.push(route.request().url());
        await route.abort();
      },
    );
    page = context.pages()[0] ?? (await context.newPage());
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists the routes of every dialect, from local assets only', async () => {
    const response = await page.goto(`${server.url}/docs`);
    expect(response?.status()).toBe(200);
    await page.locator('.opblock-summary-path').first().waitFor();
    const paths = await page
      .locator('.opblock-summary-path')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-path')));
    expect(paths).toEqual(
      expect.arrayContaining([
        '/entity-tags/contacts/{contactId}/tags', // document 000
        '/entity-tags/bulk/tag',
        '/tags/{tagId}/contacts/{contactId}', // document 001
        '/exports',
        '/exports/{id}/download',
        '/v1/tags', // document 002 (Zapini)
        '/v1/conversations/{uuid}/tags',
      ]),
    );
    expect(foreignRequests).toEqual([]);
  });

  it('takes the API key in Authorize and lists tags from the page', async () => {
    await page.locator('.auth-wrapper .authorize').click();
    const dialog = page.locator('.modal-ux');
    await dialog.locator('#auth-bearer-value').fill(workspace.apiKey);
    await dialog.locator('.auth-btn-wrapper .authorize').click();
    await dialog.locator('.auth-btn-wrapper .btn-done').click();

    const listTags = page.locator('#operations-tags-tags-list');
    await listTags.locator('.opblock-summary').click();
    // tryItOutEnabled: the parameters are editable and Execute is there at once.
    const received = page.waitForResponse(
      (response) => new URL(response.url()).pathname === '/api/tags' && response.request().method() === 'GET',
    );
    await listTags.locator('.btn.execute').click();
    const response = await received;
    expect(response.request().headers().authorization).toBe(`Bearer ${workspace.apiKey}`);
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { tags: { name: string }[] };
    expect(body.tags.map((tag) => tag.name)).toEqual([tagName]);

    // And the page shows what it received.
    const shown = listTags.locator('.live-responses-table .response');
    await expect.poll(() => shown.locator('.response-col_status').first().innerText()).toContain('200');
    await expect.poll(() => shown.locator('.response-col_description').first().innerText()).toContain(tagName);
    expect(foreignRequests).toEqual([]);
  });
});

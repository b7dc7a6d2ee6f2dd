import { afterAll, describe, expect, it } from 'vitest';
import { restCall, startTestServer } from '../testing/test-server.ts';
import { fixture } from '../testing/workspace-fixture.ts';

/**
 * The REST routes as native Fastify routes (`rest/rest-routes.ts`): path parameters are
 * percent-decoded as any REST client expects (trpc-to-openapi passed them on encoded), a path
 * matches with or without one trailing slash, query strings are coerced to the schema's types,
 * and a method a path does not take is a 404 in the dialect's shape, as under the old adapter.
 */
const server = await startTestServer({ worker: false });
afterAll(() => server.close());
const world = await fixture(server, 'REST routes');
const tag = await world.tag({ name: 'Routed' });
const contact = await world.contact();
const session = await world.sessionOf(contact);

/** Every character of a path segment percent-encoded, as a client may send it. */
const encodedSegment = (value: string) =>
  [...value].map((char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).join('');

describe('path parameters', () => {
  it('are percent-decoded before the procedure sees them', async () => {
    const read = await world.raw('GET', `/api/tags/${encodedSegment(tag.id)}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: tag.id, name: 'Routed' });

    const bare = tag.id.replace(/^wtag_/, '');
    const zapini = await world.raw('GET', `/api/v1/tags/${encodedSegment(bare)}`);
    expect(zapini.status).toBe(200);
    expect(zapini.body).toMatchObject({ success: true, data: { tag: { id: bare } } });

    const tagged = await world.raw(
      'POST',
      `/api/entity-tags/sessions/${encodedSegment(session.id)}/tags?workspaceId=${world.id}`,
      { body: { tagId: tag.id } },
    );
    expect(tagged.status).toBe(201);
    const untagged = await world.raw(
      'DELETE',
      `/api/entity-tags/sessions/${encodedSegment(session.id)}/tags/${encodedSegment(tag.id)}?workspaceId=${world.id}`,
    );
    expect(untagged.status).toBe(200);
  });

  it('win over a body field of the same name, as the adapter merged them', async () => {
    const other = await world.tag();
    const updated = await world.raw('PUT', `/api/tags/${other.id}`, { body: { id: tag.id, color: 'red' } });
    // The body's `id` is not the route's: the path's is the one updated.
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: other.id, color: 'red' });
    const untouched = await world.raw('GET', `/api/tags/${tag.id}`);
    expect(untouched.body).toMatchObject({ id: tag.id, color: null });
  });
});

describe('paths and methods', () => {
  it('a path with one trailing slash is the same route', async () => {
    const plain = await world.raw('GET', '/api/tags?limit=1');
    const slashed = await world.raw('GET', '/api/tags/?limit=1');
    expect(slashed.status).toBe(200);
    expect(slashed.body).toEqual(plain.body);
    expect((await world.raw('GET', `/api/tags/${tag.id}/`)).body).toMatchObject({ id: tag.id });
  });

  it('a method the path does not take, or an unknown path, is a 404 in the dialect’s shape', async () => {
    for (const [method, path] of [
      ['PATCH', `/api/tags/${tag.id}`],
      ['POST', '/api/no-such-route'],
      ['GET', '/api/'],
    ] as const) {
      const answer = await world.raw(method, path, method === 'GET' ? {} : { body: {} });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body, `${method} ${path}`).toMatchObject({ code: 'NOT_FOUND' });
    }
    // Every method, those no route of any path takes too, says the same.
    for (const method of ['PUT', 'OPTIONS', 'PATCH', 'DELETE']) {
      const answer = await world.raw(method, '/api/no-such-route');
      expect(answer.body, method).toEqual({ code: 'NOT_FOUND', message: 'no route matches this method and path' });
    }
    const zapini = await world.raw('POST', `/api/v1/tags/${tag.id.replace(/^wtag_/, '')}`, { body: {} });
    expect(zapini.status).toBe(404);
    expect(zapini.body).toMatchObject({ success: false });
  });
});

describe('query strings', () => {
  it('are coerced to the schema’s types, and one value of an array field is an array', async () => {
    await world.tagContact(contact, tag);
    const limited = await world.raw('GET', '/api/tags?limit=1');
    expect(limited.status).toBe(200);
    expect((limited.body as { tags: unknown[] }).tags).toHaveLength(1);
    expect((await world.raw('GET', '/api/tags?limit=x')).status).toBe(400);

    const filtered = await world.raw('GET', `/api/contacts?tag_ids=${tag.id}`);
    expect(filtered.status).toBe(200);
    expect(JSON.stringify(filtered.body)).toContain(contact.id);
  });

  it('workspaceId is a positive integer written as one, in the query string, once', async () => {
    const path = `/api/entity-tags/sessions/${session.id}/tags`;
    const expected = 'expected a workspace id: a positive integer in decimal (1, 2, …), given once';
    const required = 'required: a workspace id (a positive integer; on REST in the query string)';
    const id = world.id;
    const forms = [
      `0x${id.toString(16)}`,
      `0b${id.toString(2)}`,
      `${id}e0`,
      `${id}.0`,
      `%2B${id}`,
      `0${id}`,
      `%20${id}`,
      `%0A${id}`,
    ];
    for (const form of [...forms, `${id}&workspaceId=${id}`]) {
      const read = await world.raw('GET', `${path}?workspaceId=${form}`);
      const write = await world.raw('POST', `${path}?workspaceId=${form}`, { body: { tagId: tag.id } });
      for (const answer of [read, write])
        expect(answer.body, form).toMatchObject({ issues: [{ path: ['workspaceId'], message: expected }] });
    }
    expect((await world.raw('GET', path)).body).toMatchObject({
      issues: [{ path: ['workspaceId'], message: required }],
    });
    // The document has it in the query string; in the body alone it is not given.
    const bodyOnly = await world.raw('POST', path, { body: { tagId: tag.id, workspaceId: id } });
    expect([bodyOnly.status, bodyOnly.body]).toEqual([
      400,
      expect.objectContaining({ issues: [{ path: ['workspaceId'], message: required }] }),
    ]);
    expect((await world.raw('GET', `${path}?workspaceId=${id}`)).status).toBe(200);
    const both = await world.raw('POST', `${path}?workspaceId=${id}`, { body: { tagId: tag.id, workspaceId: id } });
    expect(both.status).toBe(201);
  });

  it('page sizes and the feed cursor are integers written as one, once (queryInteger)', async () => {
    const cases = [
      ['/api/tags?limit=', '0x10'],
      ['/api/events?limit=', '1e1'],
      ['/api/events?after=', '0x10'],
      ['/api/events?after=', '1e3'],
      ['/api/events?after=', '%2B1'],
      ['/api/events?after=', '01'],
      ['/api/events?after=', '1.0'],
      ['/api/events?after=', '1&after=5'],
      ['/api/exports?limit=', '%201'],
    ] as const;
    for (const [path, form] of cases) {
      const answer = await world.raw('GET', `${path}${form}`);
      const key = path.slice(path.indexOf('?') + 1, -1);
      expect([answer.status, answer.body], `${path}${form}`).toEqual([
        400,
        expect.objectContaining({
          issues: [
            expect.objectContaining({
              path: [key],
              message: expect.stringMatching(/^expected an integer from \d+ to \d+ in decimal, given once$/),
            }),
          ],
        }),
      ]);
    }
    for (const path of ['/api/tags?limit=16', '/api/events?after=16&limit=10', '/api/exports?limit=1'])
      expect((await world.raw('GET', path)).status, path).toBe(200);
  });

  it('an empty value is no value', async () => {
    const answer = await restCall(server, 'GET', '/api/tags?q=&limit=1', { apiKey: world.apiKey });
    expect(answer.status).toBe(200);
  });
});

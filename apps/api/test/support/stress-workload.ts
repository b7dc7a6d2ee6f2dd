/**
 * A random write workload on a small, contended data set, spread over several API processes:
 * every kind of write the service has (tag, untag, bulk, relink, delete, sync, replace, upsert)
 * aimed at a few contacts, sessions and tags, so that concurrent requests keep meeting on the
 * same rows. Deleted records come back through upserts and creates, by their external id or name.
 */

export type StressResponse = { status: number; body: unknown };
export type StressCall = (method: string, path: string, body?: unknown) => Promise<StressResponse>;

/** Slots of ids: slot k holds the current id of tag `t-k`, contact `c-k`, session `s-k`. */
export type StressPools = { tags: string[]; contacts: string[]; sessions: string[] };

/** A seeded generator (mulberry32), so that a failing run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** One step of a writer: one request, or a short sequence (a delete and the re-creation). */
type Operation = {
  name: string;
  weight: number;
  run: (call: StressCall) => Promise<StressResponse | StressResponse[]>;
};

/** The weighted operations, each drawing its targets from the pools with `random`. */
export function stressOperations(workspaceId: number, pools: StressPools, random: () => number): Operation[] {
  const index = (length: number) => Math.floor(random() * length);
  const pick = <T>(values: readonly T[]): T => values[index(values.length)] as T;
  const some = <T>(values: readonly T[], most: number): T[] => [
    ...new Set(Array.from({ length: 1 + index(most) }, () => pick(values))),
  ];
  const q = `workspaceId=${workspaceId}`;
  const entities = () =>
    Array.from({ length: 1 + index(6) }, () =>
      random() < 0.5
        ? { entityType: 'contact', entityId: pick(pools.contacts) }
        : { entityType: 'session', entityId: pick(pools.sessions) },
    );
  const slotIds = (slots: string[], response: StressResponse, keys: number[]) => {
    const ids = (response.body as { ids?: (string | null)[] } | undefined)?.ids ?? [];
    keys.forEach((slot, position) => {
      const id = ids[position];
      if (id) slots[slot] = id;
    });
  };
  const upsertContacts = async (call: StressCall, slots: number[]) => {
    const response = await call('POST', '/api/contacts/bulk', {
      contacts: slots.map((slot) => ({ externalId: `c-${slot}`, name: `Contact ${slot}` })),
    });
    slotIds(pools.contacts, response, slots);
    return [response];
  };
  const upsertSessions = async (call: StressCall, slots: number[]) => {
    const response = await call('POST', '/api/sessions/bulk', {
      sessions: slots.map((slot) => ({
        externalId: `s-${slot}`,
        contactExternalId: `c-${index(pools.contacts.length)}`,
      })),
    });
    slotIds(pools.sessions, response, slots);
    return [response];
  };
  const createTag = async (call: StressCall, slot: number) => {
    const response = await call('POST', '/api/tags', { name: `t-${slot}` });
    const id = (response.body as { id?: string } | undefined)?.id;
    if (response.status === 201 && id) pools.tags[slot] = id;
    return [response];
  };

  return [
    {
      name: 'tag contact',
      weight: 8,
      run: (call) =>
        call('POST', `/api/entity-tags/contacts/${pick(pools.contacts)}/tags?${q}`, { tagId: pick(pools.tags) }),
    },
    {
      name: 'untag contact',
      weight: 6,
      run: (call) => call('DELETE', `/api/entity-tags/contacts/${pick(pools.contacts)}/tags/${pick(pools.tags)}?${q}`),
    },
    {
      name: 'assign contact tag (idempotent)',
      weight: 3,
      run: (call) => call('POST', `/api/tags/${pick(pools.tags)}/contacts/${pick(pools.contacts)}`),
    },
    {
      name: 'tag session',
      weight: 8,
      run: (call) =>
        call('POST', `/api/entity-tags/sessions/${pick(pools.sessions)}/tags?${q}`, {
          tagId: pick(pools.tags),
          propagateToContact: random() < 0.4,
        }),
    },
    {
      name: 'untag session',
      weight: 6,
      run: (call) => call('DELETE', `/api/entity-tags/sessions/${pick(pools.sessions)}/tags/${pick(pools.tags)}?${q}`),
    },
    {
      name: 'bulk tag',
      weight: 6,
      run: (call) => call('POST', `/api/entity-tags/bulk/tag?${q}`, { tagId: pick(pools.tags), entities: entities() }),
    },
    {
      name: 'bulk untag',
      weight: 5,
      run: (call) =>
        call('POST', `/api/entity-tags/bulk/untag?${q}`, { tagId: pick(pools.tags), entities: entities() }),
    },
    {
      name: 'relink session',
      weight: 6,
      run: (call) =>
        call('PATCH', `/api/sessions/${pick(pools.sessions)}`, {
          contactId: random() < 0.15 ? null : pick(pools.contacts),
        }),
    },
    {
      name: 'sync session',
      weight: 3,
      run: (call) => call('POST', `/api/entity-tags/sessions/${pick(pools.sessions)}/sync-tags?${q}`),
    },
    {
      name: 'replace conversation tags (Zapini)',
      weight: 4,
      run: (call) =>
        call('PUT', `/api/v1/conversations/${pick(pools.sessions)}/tags`, {
          tag_ids: random() < 0.2 ? [] : some(pools.tags, 3),
        }),
    },
    {
      name: 'upsert contacts',
      weight: 2,
      run: (call) => upsertContacts(call, some([...pools.contacts.keys()], 3)),
    },
    {
      name: 'upsert sessions (relinks by external id)',
      weight: 3,
      run: (call) => upsertSessions(call, some([...pools.sessions.keys()], 4)),
    },
    {
      name: 'delete contact, then upsert it back',
      weight: 1,
      run: async (call) => {
        const slot = index(pools.contacts.length);
        return [
          await call('DELETE', `/api/contacts/${pools.contacts[slot] ?? ''}`),
          ...(await upsertContacts(call, [slot])),
        ];
      },
    },
    {
      name: 'delete session, then upsert it back',
      weight: 1,
      run: async (call) => {
        const slot = index(pools.sessions.length);
        return [
          await call('DELETE', `/api/sessions/${pools.sessions[slot] ?? ''}`),
          ...(await upsertSessions(call, [slot])),
        ];
      },
    },
    {
      name: 'delete tag, then create it back',
      weight: 1,
      run: async (call) => {
        const slot = index(pools.tags.length);
        return [await call('DELETE', `/api/tags/${pools.tags[slot] ?? ''}`), ...(await createTag(call, slot))];
      },
    },
    {
      name: 'create tag',
      weight: 1,
      run: (call) => createTag(call, index(pools.tags.length)),
    },
  ];
}

export type StressOutcome = {
  requests: number;
  /** Responses by status, e.g. `{ 200: 512, 404: 80 }`; a request that got no response counts as 0. */
  statuses: Record<number, number>;
  /** The same, per operation. */
  byOperation: Record<string, Record<number, number>>;
  /** Responses of status 500 or more, by operation, with their body (for the failure message). */
  failures: { operation: string; status: number; body: unknown }[];
};

/**
 * `writers` concurrent loops, each bound to one API (`calls[i % calls.length]`), until
 * `maxRequests` requests in all or the deadline, whichever comes first.
 */
export async function runStressWriters(options: {
  calls: StressCall[];
  writers: number;
  maxRequests: number;
  deadline: number;
  operations: Operation[];
  random: () => number;
}): Promise<StressOutcome> {
  const { operations, random } = options;
  const total = operations.reduce((sum, operation) => sum + operation.weight, 0);
  const draw = () => {
    let roll = random() * total;
    for (const operation of operations) if ((roll -= operation.weight) < 0) return operation;
    return operations[operations.length - 1] as Operation;
  };
  const outcome: StressOutcome = { requests: 0, statuses: {}, byOperation: {}, failures: [] };
  const writer = async (call: StressCall) => {
    while (outcome.requests < options.maxRequests && Date.now() < options.deadline) {
      const operation = draw();
      const responses = [
        await operation.run(call).catch((error: unknown) => ({ status: 0, body: String(error) })),
      ].flat();
      for (const response of responses) {
        outcome.requests++;
        outcome.statuses[response.status] = (outcome.statuses[response.status] ?? 0) + 1;
        const counts = (outcome.byOperation[operation.name] ??= {});
        counts[response.status] = (counts[response.status] ?? 0) + 1;
        if (response.status >= 500 || response.status === 0)
          outcome.failures.push({ operation: operation.name, status: response.status, body: response.body });
      }
    }
  };
  await Promise.all(
    Array.from({ length: options.writers }, (_, i) => writer(options.calls[i % options.calls.length] as StressCall)),
  );
  return outcome;
}

/**
 * Who a change is recorded as made by (issue 19, "who did it"): the API key of the call that
 * made it, or null when no key did (the CLI, migrations, background jobs). It reaches the domain
 * as a plain argument; the domain knows nothing of where it came from.
 */
export type Actor = { apiKeyId: string | null };

/** No key: the CLI, migrations, background jobs. */
export const noActor: Actor = { apiKeyId: null };

import { uuidOf, type Tag, type ZapiniTag, type ZapiniTagBrief } from '@tagging/contracts';
import type { Meta } from '../../trpc/init.ts';
import { zapiniColor } from './zapini-color.ts';

/**
 * Our tag in Zapini's shape: the bare UUID as id (document 002: "Tag IDs are now UUIDs"), the
 * color as `#RRGGBB` or null, `conversations_count` the sessions that have it.
 */
export const toZapiniTag = (tag: Tag): ZapiniTag => ({
  id: uuidOf(tag.id),
  name: tag.name,
  color: zapiniColor(tag.color),
  conversations_count: tag.sessionsCount,
  created_at: tag.createdAt,
  updated_at: tag.updatedAt,
});

/** A tag as a conversation's tag list shows it, by the same rules. */
export const toZapiniTagBrief = (tag: { id: string; name: string; color: string | null }): ZapiniTagBrief => ({
  id: uuidOf(tag.id),
  name: tag.name,
  color: zapiniColor(tag.color),
});

/** A route's own OpenAPI facts, as trpc-to-openapi's meta takes them. */
type OpenApiFacts = Pick<NonNullable<Meta['openapi']>, 'errorResponses' | 'requestHeaders' | 'responseHeaders'>;

/** The meta of a Zapini route: its path under `/v1`, its group, and its own OpenAPI facts. */
export const zapiniMeta = (
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: `/${string}`,
  summary: string,
  facts: OpenApiFacts = {},
): Meta => ({ openapi: { method, path: `/v1${path}`, tags: ['zapini'], summary, ...facts } });

import type { Tag, ZapiniTag } from '@tagging/contracts';
import type { Meta } from '../../trpc/init.ts';

/** Our tag in Zapini's shape: `conversations_count` is the sessions that have it. */
export const toZapiniTag = (tag: Tag): ZapiniTag => ({
  id: tag.id,
  name: tag.name,
  color: tag.color,
  conversations_count: tag.sessionsCount,
  created_at: tag.createdAt,
  updated_at: tag.updatedAt,
});

export const zapiniMeta = (
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: `/${string}`,
  summary: string,
): Meta => ({ openapi: { method, path: `/v1${path}`, tags: ['zapini'], summary } });

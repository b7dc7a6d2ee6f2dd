import type { Tag, TagType } from '@tagging/contracts';
import { toIso } from '../db/sql-values.ts';

/** The columns every tag read selects, usage counts included. */
export const tagColumns = `
  t.workspace_id, t.id, t.name, t.color, t.emoji, t.type, t."order", t.description,
  t.created_by_key_id, t.updated_by_key_id, t.created_at, t.updated_at,
  (select count(*) from entity_tag et
    where et.workspace_id = t.workspace_id and et.tag_id = t.id and et.entity_type = 'contact')::int as contacts_count,
  (select count(*) from entity_tag et
    where et.workspace_id = t.workspace_id and et.tag_id = t.id and et.entity_type = 'session')::int as sessions_count`;

export type TagRow = {
  workspace_id: number;
  id: string;
  name: string;
  color: string | null;
  emoji: string | null;
  type: TagType;
  order: number;
  description: string | null;
  created_by_key_id: string | null;
  updated_by_key_id: string | null;
  created_at: unknown;
  updated_at: unknown;
  contacts_count: number;
  sessions_count: number;
};

export function toTag(row: TagRow): Tag {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    color: row.color,
    emoji: row.emoji,
    type: row.type,
    order: row.order,
    description: row.description,
    contactsCount: row.contacts_count,
    sessionsCount: row.sessions_count,
    createdByKeyId: row.created_by_key_id,
    updatedByKeyId: row.updated_by_key_id,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

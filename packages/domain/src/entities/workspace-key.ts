import { p } from '@mikro-orm/core';
import { Workspace } from './workspace.entity.ts';

/**
 * The primary key of every record a workspace owns: (`workspace_id`, `id`), in that order, so
 * every key and index a tenant's query uses leads with the workspace (DESIGN.md, data model).
 * Deleting the workspace deletes the record. Spread it first in an entity's properties.
 */
export const workspaceKey = () => ({
  workspace: () => p.manyToOne(Workspace).primary().deleteRule('cascade'),
  id: p.text().primary(),
});

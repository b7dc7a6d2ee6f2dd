import type { Tag } from '@tagging/contracts';

/** Our tag in the bcrumbs GraphQL schema's shape (document 003): the name is `tag`. */
export const toBcrumbsTag = (tag: Tag) => ({
  workspaceId: tag.workspaceId,
  id: tag.id,
  tag: tag.name,
  type: tag.type,
  order: tag.order,
  description: tag.description,
  createdAt: tag.createdAt,
});

import { EntityTag } from './entity-tag.entity.ts';
import { Tag } from './tag.entity.ts';
import { Workspace } from './workspace.entity.ts';

export { EntityTag, Tag, Workspace };
export const entities = [Workspace, Tag, EntityTag];

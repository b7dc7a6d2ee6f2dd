export * from './db/database.ts';
export { inMemory, type DatabaseOptions, type DatabaseTarget } from './db/database-config.ts';
export * from './errors.ts';
export * from './ids.ts';
export * from './tags/tag-service.ts';
export * from './workspaces/workspace-service.ts';

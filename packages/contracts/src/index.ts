export * from './errors.ts';
export * from './ids.ts';
export * from './pagination.ts';
export * from './tags.ts';
export * from './records.ts';
export * from './entity-tags.ts';
export * from './contact-tags.ts';
export * from './tag-filters.ts';

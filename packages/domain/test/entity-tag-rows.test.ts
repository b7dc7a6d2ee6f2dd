import { expect, it } from 'vitest';
import { toAppliedTag, type AppliedTagRow } from '../src/entity-tags/entity-tag-rows.ts';

const row = (source: Pick<AppliedTagRow, 'source_entity_type' | 'source_entity_id'>): AppliedTagRow => ({
  id: 'etag_1',
  entity_type: 'session',
  entity_id: 'wses_1',
  tag_id: 'wtag_1',
  source_type: source.source_entity_type ? 'inherited' : 'direct',
  applied_by_key_id: 'key_1',
  created_at: '2026-12-03 11:03:11.5+00',
  name: 'VIP',
  color: '#FF5733',
  emoji: null,
  ...source,
});

it('shows a direct tag without its source, an inherited one with both, in the documented order', () => {
  const direct = toAppliedTag(row({ source_entity_type: null, source_entity_id: null }));
  expect(direct).toEqual({
    id: 'etag_1',
    tag: { id: 'wtag_1', name: 'VIP', color: '#FF5733', emoji: null },
    sourceType: 'direct',
    appliedByKeyId: 'key_1',
    createdAt: '2026-12-03T11:03:11.500Z',
  });
  expect(Object.keys(direct)).toEqual(['id', 'tag', 'sourceType', 'appliedByKeyId', 'createdAt']);
  const inherited = toAppliedTag(row({ source_entity_type: 'contact', source_entity_id: 'contact_1' }));
  expect(Object.keys(inherited)).toEqual([
    'id',
    'tag',
    'sourceType',
    'sourceEntityType',
    'sourceEntityId',
    'appliedByKeyId',
    'createdAt',
  ]);
  expect(inherited).toMatchObject({ sourceEntityType: 'contact', sourceEntityId: 'contact_1' });
});

it('shows whichever part of a source a row has', () => {
  expect(toAppliedTag(row({ source_entity_type: 'contact', source_entity_id: null }))).not.toHaveProperty(
    'sourceEntityId',
  );
  const idOnly = toAppliedTag(row({ source_entity_type: null, source_entity_id: 'contact_1' }));
  expect(Object.keys(idOnly)).toEqual(['id', 'tag', 'sourceType', 'sourceEntityId', 'appliedByKeyId', 'createdAt']);
});

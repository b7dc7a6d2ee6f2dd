import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { z } from 'zod';

const isoInstant = z.iso.datetime();

const instantOf = (value: unknown): string => {
  const parsed = isoInstant.safeParse(value);
  if (!parsed.success) throw new GraphQLError('DateTime is an ISO 8601 instant in UTC, e.g. 2026-03-16T00:00:00.000Z');
  return parsed.data;
};

/**
 * Document 003's `DateTime` (a tag's `createdAt`): an ISO 8601 instant in UTC as a JSON string,
 * `2026-03-16T00:00:00.000Z`, exactly what the other dialects answer. Output only today; an
 * input of this type would be checked the same way.
 */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO 8601 instant in UTC, as a string: 2026-03-16T00:00:00.000Z.',
  serialize: instantOf,
  parseValue: instantOf,
  parseLiteral: (node) => {
    if (node.kind !== Kind.STRING) throw new GraphQLError('DateTime is written as a string');
    return instantOf(node.value);
  },
});

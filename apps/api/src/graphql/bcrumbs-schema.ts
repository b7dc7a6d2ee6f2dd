/** The bcrumbs Tag APIs (document 003), as its GraphQL schema has them. */
export const bcrumbsSchema = /* GraphQL */ `
  "An ISO 8601 instant in UTC, as a string: 2026-03-16T00:00:00.000Z."
  scalar DateTime

  "The tag type."
  enum TagType {
    common
    client
    message
    conversation
    clientStage
    convStage
  }

  type Tag {
    "The workspace ID."
    workspaceId: Int!
    "The tag ID."
    id: String!
    "The tag value."
    tag: String!
    type: TagType!
    "The tag order."
    order: Int!
    "The tag description."
    description: String
    "The created timestamp."
    createdAt: DateTime!
  }

  type TagConnection {
    nodes: [Tag!]!
  }

  input TagsInput {
    "Workspace ID."
    workspaceId: Int!
    "Tag filter: a case-insensitive prefix of the tag value."
    tag: String
    "Tag type filter."
    type: TagType
  }

  input TagCreateInput {
    workspaceId: Int!
    type: TagType!
    tag: String!
    order: Int
    description: String
  }

  input TagBulkPatchItemInput {
    "The ID of the tag to patch."
    id: String!
    "The new order of the tag."
    order: Int
    "The new description of the tag."
    description: String
  }

  input TagBulkPatchInput {
    workspaceId: Int!
    "List of tag patch items."
    patches: [TagBulkPatchItemInput!]!
  }

  type Query {
    tags(input: TagsInput!): TagConnection!
  }

  type Mutation {
    createTag(input: TagCreateInput!): Tag!
    "Patches order and description of many tags, all or nothing."
    bulkPatchTags(input: TagBulkPatchInput!): Boolean!
  }
`;

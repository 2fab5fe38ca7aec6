/**
 * The static slice of GitLab's GraphQL schema the fake serves (app/graphql/types): every field's
 * type and arguments, so queries are validated like graphql-ruby does before anything runs.
 * Types are written as in SDL: "ID!", "[AgentWarning!]".
 */

export interface FieldDefinition {
  type: string;
  args?: Record<string, string>;
}

type ObjectType = Record<string, FieldDefinition>;

/** first/last/after/before of every connection field. */
const CONNECTION_ARGS = { first: 'Int', last: 'Int', after: 'String', before: 'String' };

/** A connection type: CountableConnectionType adds `count`; ConnectedAgentConnection is not countable. */
function connection(node: string, countable: boolean): Record<string, ObjectType> {
  return {
    [`${node}Connection`]: {
      ...(countable ? { count: { type: 'Int!' } } : {}),
      nodes: { type: `[${node}]` },
      edges: { type: `[${node}Edge]` },
      pageInfo: { type: 'PageInfo!' },
    },
    [`${node}Edge`]: { cursor: { type: 'String!' }, node: { type: node } },
  };
}

export const OBJECT_TYPES: Record<string, ObjectType> = {
  Query: {
    project: { type: 'Project', args: { fullPath: 'ID!' } },
    currentUser: { type: 'CurrentUser' },
    metadata: { type: 'Metadata' },
  },
  Project: {
    id: { type: 'ID!' },
    fullPath: { type: 'ID!' },
    name: { type: 'String!' },
    path: { type: 'String!' },
    webUrl: { type: 'String' },
    // AgentsResolver.single: name is required (resolvers/clusters/agents_resolver.rb).
    clusterAgent: {
      type: 'ClusterAgent',
      args: {
        name: 'String!',
        hasVulnerabilities: 'Boolean',
        hasRemoteDevelopmentAgentConfig: 'Boolean',
        hasRemoteDevelopmentEnabled: 'Boolean',
        hasWorkspacesAgentConfig: 'Boolean',
      },
    },
    clusterAgents: {
      type: 'ClusterAgentConnection',
      args: {
        ...CONNECTION_ARGS,
        hasVulnerabilities: 'Boolean',
        hasRemoteDevelopmentAgentConfig: 'Boolean',
        hasRemoteDevelopmentEnabled: 'Boolean',
        hasWorkspacesAgentConfig: 'Boolean',
      },
    },
  },
  ClusterAgent: {
    id: { type: 'ClustersAgentID!' },
    name: { type: 'String!' },
    createdAt: { type: 'Time' },
    updatedAt: { type: 'Time' },
    webPath: { type: 'String' },
    isReceptive: { type: 'Boolean' },
    project: { type: 'Project' },
    tokens: { type: 'ClusterAgentTokenConnection', args: CONNECTION_ARGS },
    connections: { type: 'ConnectedAgentConnection', args: CONNECTION_ARGS },
  },
  ...connection('ClusterAgent', true),
  ClusterAgentToken: {
    id: { type: 'ClustersAgentTokenID!' },
    name: { type: 'String' },
    description: { type: 'String' },
    status: { type: 'AgentTokenStatus' },
    createdAt: { type: 'Time' },
    lastUsedAt: { type: 'Time' },
    clusterAgent: { type: 'ClusterAgent' },
  },
  ...connection('ClusterAgentToken', true),
  // types/kas/agent_connection_type.rb and agent_metadata_type.rb.
  ConnectedAgent: {
    connectedAt: { type: 'Time' },
    connectionId: { type: 'BigInt' },
    metadata: { type: 'AgentMetadata' },
    warnings: { type: '[AgentWarning!]' },
  },
  ...connection('ConnectedAgent', false),
  AgentMetadata: {
    version: { type: 'String' },
    commit: { type: 'String' },
    podNamespace: { type: 'String' },
    podName: { type: 'String' },
  },
  AgentWarning: { version: { type: 'AgentVersionWarning' } },
  AgentVersionWarning: { type: { type: 'String' }, message: { type: 'String' } },
  PageInfo: {
    hasNextPage: { type: 'Boolean!' },
    hasPreviousPage: { type: 'Boolean!' },
    startCursor: { type: 'String' },
    endCursor: { type: 'String' },
  },
  CurrentUser: { id: { type: 'UserID!' }, username: { type: 'String!' }, name: { type: 'String!' } },
  Metadata: {
    version: { type: 'String!' },
    revision: { type: 'String!' },
    enterprise: { type: 'Boolean!' },
    kas: { type: 'Kas!' },
  },
  Kas: {
    enabled: { type: 'Boolean!' },
    externalUrl: { type: 'String' },
    externalK8sProxyUrl: { type: 'String' },
    version: { type: 'String' },
  },
};

/** Leaf types; the enums among them are named so error messages can say "enums". */
export const SCALARS = new Set([
  'ID',
  'String',
  'Boolean',
  'Int',
  'Float',
  'Time',
  'BigInt',
  'JSON',
  'ClustersAgentID',
  'ClustersAgentTokenID',
  'UserID',
]);
export const ENUMS: Record<string, string[]> = { AgentTokenStatus: ['ACTIVE', 'REVOKED'] };

/** "[AgentWarning!]!" → "AgentWarning". */
export function namedType(signature: string): string {
  return signature.replace(/[[\]!]/g, '');
}

export function isLeafType(name: string): boolean {
  return SCALARS.has(name) || name in ENUMS;
}

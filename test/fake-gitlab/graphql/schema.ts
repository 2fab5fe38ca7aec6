import type { FakeGitLabState } from '../state.js';
import { Access, type FakeAgent, type FakeAgentConnection, type FakeAgentToken, type FakeProject, type FakeUser } from '../types.js';
import { FieldError, type GqlObject, gqlObject } from './execute.js';

/**
 * Resolvers for the slice of GitLab's GraphQL schema an installer reads (types in schema-types.ts):
 * Project.clusterAgent(name) with its tokens and KAS connections (app/graphql/types/clusters/agent_type.rb),
 * currentUser, metadata.
 */

/** GraphQL's Time is ISO 8601 with second precision ("2024-05-01T12:00:00Z"), unlike REST's milliseconds. */
function time(iso: string | null): string | null {
  return iso === null ? null : iso.replace(/\.\d+Z$/, 'Z');
}

/** A connection: nodes, edges, pageInfo, and count only for CountableConnectionType. */
function connection(typename: string, nodes: GqlObject[], countable: boolean): GqlObject {
  const cursor = (i: number) => Buffer.from(JSON.stringify({ id: String(i) })).toString('base64');
  return gqlObject(typename, {
    ...(countable ? { count: () => nodes.length } : {}),
    nodes: () => nodes,
    edges: () => nodes.map((node, i) => gqlObject(typename.replace(/Connection$/, 'Edge'), { cursor: () => cursor(i), node: () => node })),
    pageInfo: () =>
      gqlObject('PageInfo', {
        hasNextPage: () => false,
        hasPreviousPage: () => false,
        startCursor: () => (nodes.length > 0 ? cursor(0) : null),
        endCursor: () => (nodes.length > 0 ? cursor(nodes.length - 1) : null),
      }),
  });
}

function tokenNode(token: FakeAgentToken): GqlObject {
  return gqlObject('ClusterAgentToken', {
    id: () => `gid://gitlab/Clusters::AgentToken/${token.id}`,
    name: () => token.name,
    description: () => token.description,
    status: () => token.status.toUpperCase(),
    createdAt: () => time(token.createdAt),
    lastUsedAt: () => time(token.lastUsedAt),
  });
}

function connectionNode(connection: FakeAgentConnection): GqlObject {
  const { metadata } = connection;
  return gqlObject('ConnectedAgent', {
    connectedAt: () => time(connection.connectedAt),
    connectionId: () => String(connection.connectionId),
    metadata: () =>
      gqlObject('AgentMetadata', {
        version: () => metadata.version,
        commit: () => metadata.commit,
        podName: () => metadata.podName,
        podNamespace: () => metadata.podNamespace,
      }),
    warnings: () =>
      connection.warnings.map((w) =>
        gqlObject('AgentWarning', {
          version: () => gqlObject('AgentVersionWarning', { type: () => w.version.type, message: () => w.version.message }),
        }),
      ),
  });
}

/**
 * Resolvers::Kas::AgentConnectionsResolver: empty without :admin_cluster (Maintainer+); when KAS is
 * disabled or does not answer, ResourceNotAvailable with the exception's class name as message.
 */
function agentConnections(state: FakeGitLabState, agent: FakeAgent, project: FakeProject, user: FakeUser | undefined): GqlObject[] {
  if (state.accessLevel(project, user) < Access.maintainer) return [];
  if (!state.metadata.kas.enabled) throw new FieldError('Gitlab::Kas::Client::ConfigurationError');
  if (!state.kasAvailable) throw new FieldError('GRPC::Unavailable');
  return state.connectionsOf(agent).map(connectionNode);
}

function agentNode(state: FakeGitLabState, agent: FakeAgent, project: FakeProject, user: FakeUser | undefined): GqlObject {
  return gqlObject('ClusterAgent', {
    id: () => `gid://gitlab/Clusters::Agent/${agent.id}`,
    name: () => agent.name,
    createdAt: () => time(agent.createdAt),
    updatedAt: () => time(agent.createdAt),
    webPath: () => `/${state.pathWithNamespace(project)}/-/cluster_agents/${agent.name}`,
    isReceptive: () => state.isReceptive(agent),
    project: () => projectNode(state, project, user),
    tokens: () => connection('ClusterAgentTokenConnection', state.activeTokens(agent).map(tokenNode), true),
    connections: () => connection('ConnectedAgentConnection', agentConnections(state, agent, project, user), false),
  });
}

function projectNode(state: FakeGitLabState, project: FakeProject, user: FakeUser | undefined): GqlObject {
  const canReadAgents = () => state.accessLevel(project, user) >= Access.developer;
  return gqlObject('Project', {
    id: () => `gid://gitlab/Project/${project.id}`,
    fullPath: () => state.pathWithNamespace(project),
    name: () => project.name,
    path: () => project.path,
    webUrl: () => `${state.baseUrl}/${state.pathWithNamespace(project)}`,
    clusterAgent: (args) => {
      if (!canReadAgents()) return null;
      const agent = state.agentsOf(project).find((a) => a.name === args['name']);
      return agent ? agentNode(state, agent, project, user) : null;
    },
    clusterAgents: () =>
      connection(
        'ClusterAgentConnection',
        canReadAgents() ? state.agentsOf(project).map((a) => agentNode(state, a, project, user)) : [],
        true,
      ),
  });
}

export function queryRoot(state: FakeGitLabState, user: FakeUser | undefined): GqlObject {
  return gqlObject('Query', {
    project: (args) => {
      const project = state.findProject(String(args['fullPath'] ?? ''));
      return project && state.canSee(project, user) ? projectNode(state, project, user) : null;
    },
    currentUser: () =>
      user
        ? gqlObject('CurrentUser', {
            id: () => `gid://gitlab/User/${user.id}`,
            username: () => user.username,
            name: () => user.name,
          })
        : null,
    metadata: () => {
      if (!user) return null;
      const { version, revision, enterprise, kas } = state.metadata;
      return gqlObject('Metadata', {
        version: () => version,
        revision: () => revision,
        enterprise: () => enterprise,
        kas: () =>
          gqlObject('Kas', {
            enabled: () => kas.enabled,
            externalUrl: () => kas.externalUrl,
            externalK8sProxyUrl: () => kas.externalK8sProxyUrl,
            version: () => kas.version,
          }),
      });
    },
  });
}

import type { FakeGitLabState } from '../state.js';
import { Access, type FakeAgent, type FakeAgentConnection, type FakeAgentToken, type FakeProject, type FakeUser } from '../types.js';
import { type GqlObject, gqlObject } from './execute.js';

/**
 * The slice of GitLab's GraphQL schema an installer reads: Project.clusterAgent(name) with its
 * tokens and KAS connections (app/graphql/types/clusters/agent_type.rb), currentUser, metadata.
 */

const list = (typename: string, nodes: GqlObject[]) =>
  gqlObject(typename, { nodes: () => nodes, count: () => nodes.length });

function tokenNode(token: FakeAgentToken): GqlObject {
  return gqlObject('ClusterAgentToken', {
    id: () => `gid://gitlab/Clusters::AgentToken/${token.id}`,
    name: () => token.name,
    description: () => token.description,
    status: () => token.status.toUpperCase(),
    createdAt: () => token.createdAt,
    lastUsedAt: () => token.lastUsedAt,
  });
}

function connectionNode(connection: FakeAgentConnection): GqlObject {
  const { metadata } = connection;
  return gqlObject('ConnectedAgent', {
    connectedAt: () => connection.connectedAt,
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
          version: () =>
            gqlObject('AgentVersionWarning', { type: () => w.version.type, message: () => w.version.message }),
        }),
      ),
  });
}

function agentNode(state: FakeGitLabState, agent: FakeAgent, project: FakeProject, user: FakeUser | undefined): GqlObject {
  return gqlObject('ClusterAgent', {
    id: () => `gid://gitlab/Clusters::Agent/${agent.id}`,
    name: () => agent.name,
    createdAt: () => agent.createdAt,
    updatedAt: () => agent.createdAt,
    webPath: () => `/${state.pathWithNamespace(project)}/-/cluster_agents/${agent.name}`,
    project: () => projectNode(state, project, user),
    tokens: () => list('ClusterAgentTokenConnection', state.activeTokens(agent).map(tokenNode)),
    // Empty unless the caller has :admin_cluster (Maintainer+): agent_connections_resolver.rb.
    connections: () =>
      list(
        'ConnectedAgentConnection',
        state.accessLevel(project, user) >= Access.maintainer ? state.connectionsOf(agent).map(connectionNode) : [],
      ),
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
      list(
        'ClusterAgentConnection',
        canReadAgents() ? state.agentsOf(project).map((a) => agentNode(state, a, project, user)) : [],
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

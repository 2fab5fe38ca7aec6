/** Where an agent goes: the cluster and namespace, and the GitLab project and agent it is registered as. */
export interface AgentTarget {
  kubeconfig?: string;
  context: string;
  gitlabUrl: string;
  projectId: number;
  projectPath: string;
  agentName: string;
  /** Known when the agent already exists. */
  agentId?: number;
  namespace: string;
  createNamespace: boolean;
}

/** The agent's page in GitLab. */
export function agentPageUrl(t: Pick<AgentTarget, 'gitlabUrl' | 'projectPath' | 'agentName'>): string {
  return `${t.gitlabUrl}/${t.projectPath}/-/cluster_agents/${t.agentName}`;
}

/** Where agents and their tokens are managed in GitLab. */
export function agentsPageUrl(t: Pick<AgentTarget, 'gitlabUrl' | 'projectPath'>): string {
  return `${t.gitlabUrl}/${t.projectPath}/-/clusters`;
}

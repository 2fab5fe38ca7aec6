import type { Secret } from '../../kernel/secret.js';

export interface TokenSecretInfo {
  namespace: string;
  name: string;
  /** gitlab.com/agent-token-id annotation. */
  tokenId?: number;
  /** gitlab-agent-tui/agent-id annotation: the GitLab agent the token belongs to. */
  agentId?: number;
  /** gitlab-agent-tui/agent label: the agent's name. */
  agentName?: string;
  /** Labelled by this tool (app.kubernetes.io/managed-by=gitlab-agent-tui). */
  managedByUs: boolean;
  hasTokenKey: boolean;
  /** Where the agent is registered (annotations written since the lifecycle commands; absent on older Secrets). */
  registration?: AgentRegistration;
}

/** The GitLab project (and instance) an agent token belongs to, as our Secret records it. */
export interface AgentRegistration {
  gitlabUrl?: string;
  projectId?: number;
  projectPath?: string;
}

export interface TokenSecretSpec {
  namespace: string;
  name: string;
  token: Secret;
  tokenId: number;
  agentName: string;
  agentId: number;
  /** Recorded on the Secret so status, upgrade, uninstall and rotate-token find the agent in GitLab. */
  registration?: AgentRegistration;
}

/** The agent token Secrets: metadata out, the value only in (it never leaves the adapter). */
export interface KubeSecrets {
  getTokenSecret(namespace: string, name: string): Promise<TokenSecretInfo | undefined>;
  /** Every token Secret this tool made, in `namespace` or in every namespace the user may list. */
  listTokenSecrets(namespace?: string): Promise<TokenSecretInfo[]>;
  /** Create, or replace if it exists; the value travels only in the API request body. */
  writeTokenSecret(spec: TokenSecretSpec): Promise<void>;
  /**
   * The token a Secret holds, as a Secret (masked everywhere), or undefined when there is none. Only a
   * token rotation reads it: to put the old token back if the new one does not connect. It is kept in
   * memory for that run and written nowhere but back into the same Secret.
   */
  readTokenValue(namespace: string, name: string): Promise<Secret | undefined>;
  deleteSecret(namespace: string, name: string): Promise<void>;
}

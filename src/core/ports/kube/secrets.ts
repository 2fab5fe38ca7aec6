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
}

export interface TokenSecretSpec {
  namespace: string;
  name: string;
  token: Secret;
  tokenId: number;
  agentName: string;
  agentId: number;
}

/** The agent token Secrets: metadata out, the value only in (it never leaves the adapter). */
export interface KubeSecrets {
  getTokenSecret(namespace: string, name: string): Promise<TokenSecretInfo | undefined>;
  /** Every token Secret this tool made, in `namespace` or in every namespace the user may list. */
  listTokenSecrets(namespace?: string): Promise<TokenSecretInfo[]>;
  /** Create, or replace if it exists; the value travels only in the API request body. */
  writeTokenSecret(spec: TokenSecretSpec): Promise<void>;
  deleteSecret(namespace: string, name: string): Promise<void>;
}

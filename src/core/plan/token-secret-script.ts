import { agentsPageUrl, type AgentTarget } from './agent-target.js';
import { shellQuote } from './shell.js';

/** `kubectl` with the run's kubeconfig and context, quoted. */
export function kubectlWords(t: Pick<AgentTarget, 'kubeconfig' | 'context'>): string {
  return ['kubectl', ...(t.kubeconfig ? ['--kubeconfig', t.kubeconfig] : []), '--context', t.context].map(shellQuote).join(' ');
}

/** Where the agent token is read from in a pasted script: a file the user writes, never the command line. */
const AGENT_TOKEN_FILE = './agent-token';

/**
 * The steps a pasted install needs before the workload: the agent registered with a token (in GitLab),
 * the namespace, and the token Secret (key "token") read from a file. Never the token itself.
 */
export function tokenSecretScript(t: AgentTarget, secret: { name: string; own: boolean }): string[] {
  const kubectl = kubectlWords(t);
  const ns = shellQuote(t.namespace);
  const lines = [`# Register agent ${t.agentName} in ${t.projectPath} and create its token first: ${agentsPageUrl(t)}`];
  if (t.createNamespace) lines.push(`${kubectl} create namespace ${ns} --dry-run=client -o yaml | ${kubectl} apply -f -`);
  if (secret.own) {
    lines.push(`# The agent reads its token from your Secret ${t.namespace}/${secret.name} (key "token").`);
  } else {
    lines.push(
      `# Save the token GitLab showed you to ${AGENT_TOKEN_FILE} (never on a command line); the agent reads it from Secret ${secret.name}, key "token":`,
      `${kubectl} -n ${ns} create secret generic ${shellQuote(secret.name)} --from-file=token=${AGENT_TOKEN_FILE}`,
    );
  }
  return lines;
}

import { agentsPageUrl, type AgentTarget } from './agent-target.js';
import { commentLines, packedCommand, SCRIPT_WIDTH, shellQuote } from './shell.js';

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
  const kubectl = ['kubectl', ...(t.kubeconfig ? ['--kubeconfig', t.kubeconfig] : []), '--context', t.context];
  const lines = commentLines(`Register agent ${t.agentName} in ${t.projectPath} and create its token first: ${agentsPageUrl(t)}`);
  if (t.createNamespace) {
    // One pipeline over short lines: the dry run's YAML applied, so an existing namespace is no error.
    const words = kubectlWords(t);
    lines.push(`${words} create namespace ${shellQuote(t.namespace)} \\`, '  --dry-run=client -o yaml \\', `  | ${words} apply -f -`);
  }
  if (secret.own) {
    lines.push(...commentLines(`The agent reads its token from your Secret ${t.namespace}/${secret.name} (key "token").`));
  } else {
    lines.push(
      ...commentLines(
        `Save the token GitLab showed you to ${AGENT_TOKEN_FILE} (never on a command line); the agent reads it from Secret ${secret.name}, key "token":`,
      ),
      ...packedCommand(
        kubectl,
        [['-n', t.namespace], ['create', 'secret', 'generic', secret.name], [`--from-file=token=${AGENT_TOKEN_FILE}`]],
        SCRIPT_WIDTH,
        '  ',
      ),
    );
  }
  return lines;
}

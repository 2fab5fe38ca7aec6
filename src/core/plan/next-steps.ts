import type { OptionId, OptionValues } from '../options/values.js';
import { agentPageUrl, agentsPageUrl, type AgentTarget } from './agent-target.js';
import type { Method } from './choices.js';
import { commandLine, flagsOf } from './command-line.js';

/** One thing to do after an install, as cilium and linkerd end: a command to run or a page to open. */
export interface NextStep {
  id: 'status' | 'gitlab' | 'upgrade' | 'uninstall';
  label: string;
  /** The command (one line, quoted) or the URL. */
  text: string;
}

export interface NextStepsInput {
  target: Pick<AgentTarget, 'kubeconfig' | 'context' | 'namespace' | 'gitlabUrl' | 'projectPath' | 'agentName'>;
  method: Method;
  /** The workload's name (helm: the release). */
  release: string;
  /** This run committed .gitlab/agents/<agent>/config.yaml: the uninstall deletes it too. */
  configFile: boolean;
  /** The delivery's own way to remove it, where this tool's uninstall does not (Flux, advanced). */
  uninstallHint?: string;
}

const GITLAB_COM = 'https://gitlab.com';

/** Flags in the order given (the values' own key order). */
function run(words: string[], values: Partial<OptionValues>): string {
  return commandLine(words, flagsOf(values, Object.keys(values) as OptionId[])).line;
}

/**
 * What to do next, with this install's context and namespace: check it, open it in GitLab, upgrade it,
 * remove it completely (workload, token Secret, token, registration, config file). Pure.
 */
export function installNextSteps(i: NextStepsInput): NextStep[] {
  const { target: t } = i;
  const where = { kubeconfig: t.kubeconfig, contexts: [t.context], namespace: t.namespace };
  const gitlab = t.gitlabUrl === GITLAB_COM ? {} : { gitlabUrl: t.gitlabUrl };
  const one = { kubeconfig: t.kubeconfig, context: t.context, namespace: t.namespace, release: i.release, ...gitlab };
  const helmManaged = i.method === 'helm' || i.method === 'receptive';
  const steps: NextStep[] = [
    { id: 'status', label: 'Status', text: run(['status'], { ...where, ...gitlab }) },
    { id: 'gitlab', label: 'In GitLab', text: agentPageUrl(t) },
  ];
  if (helmManaged) {
    steps.push(
      { id: 'upgrade', label: 'Upgrade', text: run(['upgrade'], one) },
      {
        id: 'uninstall',
        label: 'Uninstall',
        text: run(['uninstall'], { ...one, project: t.projectPath, revokeAgentToken: true, deleteAgent: true, deleteConfig: i.configFile || undefined }),
      },
    );
  } else {
    steps.push(
      {
        id: 'upgrade',
        label: 'Upgrade',
        text: i.method === 'flux' ? `change chart version or image.tag in the HelmRelease ${i.release} in Git; Flux upgrades it` : 'run the same install again with a new --image-tag',
      },
      { id: 'uninstall', label: 'Uninstall', text: `${i.uninstallHint ?? `${run(['uninstall'], one)}`}, then delete agent ${t.agentName} in GitLab (${agentsPageUrl(t)})` },
    );
  }
  return steps;
}

/** Next steps as report lines: "Label: text". */
export function nextStepLines(steps: readonly NextStep[]): string[] {
  return steps.map((s) => `${s.label}: ${s.text}`);
}

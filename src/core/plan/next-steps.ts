import type { OptionId, OptionValues } from '../options/values.js';
import { agentPageUrl, agentsPageUrl, type AgentTarget } from './agent-target.js';
import type { Method } from './choices.js';
import { commandLine, flagsOf, type CommandLine } from './command-line.js';

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
function command(words: string[], values: Partial<OptionValues>): CommandLine {
  return commandLine(words, flagsOf(values, Object.keys(values) as OptionId[]));
}

/** Report lines stay within this width (with the front end's indent), so no terminal wraps a command. */
const WIDTH = 78;

/** The steps, and the same as report lines: "Label: command", a long command continued over lines. */
export interface InstallNextSteps {
  steps: NextStep[];
  lines: string[];
}

/**
 * What to do next, with this install's context and namespace: check it, open it in GitLab, upgrade it,
 * remove it completely (workload, token Secret, token, registration, config file). Pure.
 */
export function installNextSteps(i: NextStepsInput): InstallNextSteps {
  const { target: t } = i;
  const where = { kubeconfig: t.kubeconfig, contexts: [t.context], namespace: t.namespace };
  const gitlab = t.gitlabUrl === GITLAB_COM ? {} : { gitlabUrl: t.gitlabUrl };
  const one = { kubeconfig: t.kubeconfig, context: t.context, namespace: t.namespace, release: i.release, ...gitlab };
  const helmManaged = i.method === 'helm' || i.method === 'receptive';
  const drawn: { step: NextStep; command?: CommandLine }[] = [];
  const add = (id: NextStep['id'], label: string, what: CommandLine | string) =>
    drawn.push(typeof what === 'string' ? { step: { id, label, text: what } } : { step: { id, label, text: what.line }, command: what });
  add('status', 'Status', command(['status'], { ...where, ...gitlab }));
  add('gitlab', 'In GitLab', agentPageUrl(t));
  if (helmManaged) {
    add('upgrade', 'Upgrade', command(['upgrade'], one));
    add(
      'uninstall',
      'Uninstall',
      command(['uninstall'], {
        ...one,
        project: t.projectPath,
        revokeAgentToken: true,
        deleteAgent: true,
        deleteConfig: i.configFile || undefined,
      }),
    );
  } else {
    add(
      'upgrade',
      'Upgrade',
      i.method === 'flux'
        ? `change chart version or image.tag in the HelmRelease ${i.release} in Git; Flux upgrades it`
        : 'run the same install again with a new --image-tag',
    );
    add(
      'uninstall',
      'Uninstall',
      `${i.uninstallHint ?? command(['uninstall'], one).line}, then delete agent ${t.agentName} in GitLab (${agentsPageUrl(t)})`,
    );
  }
  const lines = drawn.flatMap(({ step, command: c }) => {
    if (!c) return [`${step.label}: ${step.text}`];
    const [first = '', ...rest] = c.packed(WIDTH - step.label.length - 4);
    return [`${step.label}: ${first}`, ...rest];
  });
  return { steps: drawn.map((d) => d.step), lines };
}

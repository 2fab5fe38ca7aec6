import type { AgentInstall } from '../../discovery/agent-install.js';
import { installKey } from '../../discovery/agent-install.js';
import { FlowError } from '../../kernel/errors.js';
import type { FlowIO } from '../../kernel/io.js';
import type { Choice } from '../../kernel/questions.js';
import { optionError } from '../../options/catalogue.js';
import { installName, podHealth } from '../../plan/lifecycle/install-health.js';

export interface InstallPick {
  /** --release and --namespace, when given. */
  release?: string;
  namespace?: string;
  /** "upgrade", "uninstall": the question's wording. */
  verb: string;
  /** Picking starts the work at once, with no review after it: asked even when only one install can be picked. */
  consent?: boolean;
  /** Why an install cannot be picked (shown beside it, greyed), or undefined. */
  unusable?: (i: AgentInstall) => string | undefined;
}

function choiceOf(i: AgentInstall, unusable: string | undefined): Choice {
  const hint = [
    i.agentVersion ?? 'version unknown',
    podHealth(i).text,
    i.method === 'flux' ? 'Flux' : i.ours ? 'installed by this tool' : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  return { value: installKey(i), label: installName(i), hint, ...(unusable ? { disabled: unusable } : {}) };
}

function none(context: string, namespace: string | undefined): FlowError {
  return new FlowError(
    'discovery',
    `no agent install found in context ${context}${namespace ? ` namespace ${namespace}` : ''}`,
    namespace ? 'check --namespace, or leave it out to look in every namespace' : 'check --context',
  );
}

/** --release (with --namespace when the name is in several) names one; otherwise the user picks. */
function byRelease(installs: AgentInstall[], p: InstallPick, context: string): AgentInstall {
  const matches = installs.filter((i) => i.release === p.release);
  if (matches.length === 0) {
    const known = installs.map(installName).join(', ');
    throw optionError(
      'release',
      `no agent release "${p.release}" in context ${context}`,
      known ? `choose one of: ${known}` : 'check --context and --namespace',
    );
  }
  if (matches.length > 1) {
    throw optionError(
      'namespace',
      `release ${p.release} exists in namespaces ${matches.map((i) => i.namespace).join(', ')}`,
      'pass --namespace',
    );
  }
  const why = p.unusable?.(matches[0]!);
  if (why) throw optionError('release', `${installName(matches[0]!)} cannot be used: ${why}`);
  return matches[0]!;
}

/** One install: by --release, or a select (flag mode picks the only usable one, else needs --release). */
export async function chooseInstall(installs: AgentInstall[], p: InstallPick, context: string, io: FlowIO): Promise<AgentInstall> {
  if (installs.length === 0) throw none(context, p.namespace);
  if (p.release !== undefined) return byRelease(installs, p, context);
  const choices = installs.map((i) => choiceOf(i, p.unusable?.(i)));
  const usable = choices.filter((c) => !c.disabled);
  if (usable.length === 0)
    throw new FlowError(
      'discovery',
      `no install in context ${context} can be used: ${choices.map((c) => `${c.label} (${c.disabled})`).join('; ')}`,
    );
  const key = await io.asker.ask({
    kind: 'select',
    id: 'install',
    flag: '--release',
    message: `Which agent do you want to ${p.verb}?`,
    choices,
    ...(p.consent ? { consent: true } : {}),
    ...(usable.length === 1 ? { default: usable[0]!.value } : {}),
  });
  return installs.find((i) => installKey(i) === key)!;
}

/** Several installs: by --release (one), or a multiselect (flag mode takes the only usable one, else needs --release). */
export async function chooseInstalls(installs: AgentInstall[], p: InstallPick, context: string, io: FlowIO): Promise<AgentInstall[]> {
  if (installs.length === 0) throw none(context, p.namespace);
  if (p.release !== undefined) return [byRelease(installs, p, context)];
  const choices = installs.map((i) => choiceOf(i, p.unusable?.(i)));
  const usable = choices.filter((c) => !c.disabled);
  if (usable.length === 0)
    throw new FlowError(
      'discovery',
      `no install in context ${context} can be used: ${choices.map((c) => `${c.label} (${c.disabled})`).join('; ')}`,
    );
  const keys = await io.asker.ask({
    kind: 'multiselect',
    id: 'installs',
    flag: '--release',
    message: `Which agents do you want to ${p.verb}?`,
    help: 'Space toggles; they are done one after another.',
    choices,
    min: 1,
    ...(usable.length === 1 ? { default: [usable[0]!.value] } : {}),
  });
  return installs.filter((i) => keys.includes(installKey(i)));
}

import { UsageError } from '../../kernel/errors.js';
import { optionError } from '../../options/catalogue.js';
import type { HelmReleasePlan } from '../../plan/helm/release-plan.js';
import type { DeliveryCheck, DeliveryCheckContext } from '../delivery.js';

export interface HelmState {
  /** A release of that name is already there (a re-run upgrades it). */
  releaseExists: boolean;
}

/**
 * What helm will find: a release of that name is upgraded when it is this agent's (our Secret is there),
 * and never taken over silently when it belongs to someone else.
 */
export async function helmPreflight(c: DeliveryCheckContext<HelmReleasePlan>): Promise<DeliveryCheck<HelmState>> {
  const { cluster, target, settings, plan, io, ports } = c;
  const notes: string[] = [];
  let releaseExists = false;
  if (c.namespaceExists) {
    const releases = await ports.helm.listReleases({ kubeconfig: target.kubeconfig, context: target.context }, target.namespace);
    const same = releases.find((r) => r.name === plan.release);
    if (same) {
      if (!same.chart.startsWith('gitlab-agent')) {
        throw optionError(
          'release',
          `release ${plan.release} in ${target.namespace} is chart ${same.chart}, not gitlab-agent`,
          'choose another --release or --namespace',
        );
      }
      releaseExists = true;
      // Ours if our Secret for this agent is there (a re-run); otherwise it belongs to someone else.
      const ours =
        settings.tokenSecret.own || (await cluster.getTokenSecret(target.namespace, settings.tokenSecret.name))?.managedByUs === true;
      if (!ours) {
        const takeOver = await io.asker.ask({
          kind: 'confirm',
          id: 'take-over-release',
          message: `Release ${plan.release} in ${target.namespace} was not installed for agent ${target.agentName} by this tool. Upgrade it to agent ${target.agentName}?`,
          help: 'No stops here; re-run with another --release or --namespace to install beside it.',
          default: false,
        });
        if (!takeOver) {
          throw new UsageError(
            '--release',
            `release ${plan.release} already exists in ${target.namespace} and belongs to another installation`,
            'choose another --release or --namespace (several agents can share a cluster)',
          );
        }
      }
      notes.push(`release ${plan.release} exists (revision ${same.revision}, ${same.status}): it will be upgraded`);
    }
    const others = (await cluster.findAgentDeployments(target.namespace)).filter((d) => d.release && d.release !== plan.release);
    for (const d of others)
      notes.push(`another agent (release ${d.release}) runs in ${target.namespace}; names do not collide because the release differs`);
  }
  return { state: { releaseExists }, notes, upgrading: releaseExists };
}

import { optionError } from '../../options/catalogue.js';
import type { InstallOptions } from '../../flows/install/options.js';
import type { AgentSettings } from '../../plan/agent-settings.js';
import type { AgentTarget } from '../../plan/agent-target.js';
import { agentObjects, renderPackage, type PackageInput } from '../../plan/manifests/package.js';
import type { KubeObject } from '../../ports/kube/index.js';

/** The advanced install: our own kustomize package, applied server-side. */
export interface ManifestsPlan {
  /** The workload's name (objects are <name>-gitlab-agent, as the chart names them). */
  name: string;
  /** Also write the package here. */
  manifestsDir?: string;
}

/** Helm's own knobs mean nothing to a package we render: say so rather than drop them. */
export function refuseHelmOptions(
  opts: Pick<InstallOptions, 'set' | 'setString' | 'values' | 'chart' | 'chartVersion'>,
  method: string,
): void {
  const given = (
    [
      ['set', opts.set.length > 0],
      ['setString', (opts.setString ?? []).length > 0],
      ['values', opts.values.length > 0],
      ['chart', opts.chart !== undefined],
      ['chartVersion', opts.chartVersion !== undefined],
    ] as const
  ).find(([, is]) => is);
  if (given) throw optionError(given[0], `is a helm option; --method ${method} installs no chart`, 'drop it, or use --method helm');
}

function packageInput(target: AgentTarget, settings: AgentSettings, plan: ManifestsPlan): PackageInput {
  if (!settings.image.tag) {
    throw optionError(
      'imageTag',
      'the advanced install needs a pinned agentk tag (there is no chart appVersion to fall back on)',
      'pass --image-tag, e.g. v18.6.0',
    );
  }
  return { name: plan.name, namespace: target.namespace, imageTag: settings.image.tag, settings };
}

export const objectsOf = (target: AgentTarget, settings: AgentSettings, plan: ManifestsPlan): KubeObject[] =>
  agentObjects(packageInput(target, settings, plan));
export const filesOf = (target: AgentTarget, settings: AgentSettings, plan: ManifestsPlan) =>
  renderPackage(packageInput(target, settings, plan));

/** "Deployment prod-gitlab-agent" */
export function describeObject(o: KubeObject): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

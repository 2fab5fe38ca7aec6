import type { AgentSettings } from './agent-settings.js';
import type { AgentTarget } from './agent-target.js';
import type { ExportFormat, Method } from './choices.js';
import type { FluxApiVersions } from './flux/api-versions.js';
import { renderFluxFiles } from './flux/manifests.js';
import { fluxValues } from './flux/values.js';
import { helmValuesYaml } from './helm/values.js';
import { CHART_NAME } from './helm/release-plan.js';
import { renderPackage } from './manifests/package.js';
import type { RepoFile } from './repo-file.js';
import { renderTerraform } from './terraform/render.js';

/** `helm upgrade --install …` for an exported values.yaml, as a person would type it. */
function helmArgsForExport(input: {
  name: string;
  chartRepo: string;
  chartVersion?: string;
  target: { namespace: string; context: string; createNamespace: boolean };
}): string[] {
  const oci = input.chartRepo.startsWith('oci://');
  const args = ['upgrade', '--install', input.name, oci ? `${input.chartRepo.replace(/\/+$/, '')}/${CHART_NAME}` : CHART_NAME];
  if (!oci) args.push('--repo', input.chartRepo);
  if (input.chartVersion) args.push('--version', input.chartVersion);
  args.push('--namespace', input.target.namespace);
  if (input.target.createNamespace) args.push('--create-namespace');
  args.push('--kube-context', input.target.context, '-f', 'values.yaml');
  return args;
}

/** What every format needs to know about the install. */
export interface ExportInput {
  target: AgentTarget;
  settings: AgentSettings;
  /** The workload's name (helm release, HelmRelease, manifests). */
  name: string;
  chartRepo: string;
  chartVersion?: string;
  fluxNamespace: string;
  fluxApiVersions: FluxApiVersions;
  defaultBranch: string;
}

/** The format a method's user commits, when --format is not given. */
export function defaultExportFormat(method: Method): ExportFormat {
  return method === 'flux' ? 'flux' : method === 'advanced' ? 'kustomize' : 'helm-values';
}

export const EXPORT_HINTS: Record<ExportFormat, string> = {
  'helm-values': 'values.yaml for helm -f, no token in it',
  flux: 'HelmRepository + HelmRelease + kustomization.yaml for your Flux repository',
  kustomize: 'our kustomize package (kubectl apply -k)',
  terraform: 'main.tf: GitLab agent, token and config file, the token Secret and the helm release',
};

/** The files of one format. None holds a token: each reads it from the Secret the install (or Terraform) creates. */
export function exportFiles(format: ExportFormat, input: ExportInput): RepoFile[] {
  const { target, settings } = input;
  switch (format) {
    case 'helm-values':
      return [
        { path: 'values.yaml', content: helmValuesYaml(settings) },
        {
          path: 'README.md',
          content: [
            `# GitLab agent ${target.agentName}: helm values`,
            '',
            `The chart reads the token from the Secret \`${settings.tokenSecret.name}\` (key \`token\`) in \`${target.namespace}\`; create it through the API, never in Git.`,
            '',
            '```sh',
            `helm ${helmArgsForExport(input).join(' ')}`,
            '```',
            '',
          ].join('\n'),
        },
      ];
    case 'flux':
      return renderFluxFiles({
        release: input.name,
        fluxNamespace: input.fluxNamespace,
        targetNamespace: target.namespace,
        chartRepo: input.chartRepo,
        chartName: CHART_NAME,
        chartVersion: input.chartVersion,
        values: fluxValues(settings),
        apiVersions: input.fluxApiVersions,
      });
    case 'kustomize': {
      const tag = settings.image.tag;
      if (!tag) throw new Error('the kustomize package needs a pinned agentk tag: pass --image-tag');
      return renderPackage({ name: input.name, namespace: target.namespace, imageTag: tag, settings });
    }
    case 'terraform':
      return renderTerraform({
        target,
        settings,
        release: input.name,
        chartRepo: input.chartRepo,
        chartName: CHART_NAME,
        chartVersion: input.chartVersion,
        values: fluxValues(settings),
        defaultBranch: input.defaultBranch,
      });
  }
}

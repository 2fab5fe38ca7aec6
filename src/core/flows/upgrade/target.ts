import { pullSecretWarning } from '../../plan/advanced-options.js';
import type { FlowIO } from '../../kernel/io.js';
import type { MultiSelectQuestion } from '../../kernel/questions.js';
import { currentAdvancedTexts } from '../../plan/lifecycle/current-advanced.js';
import type { ValuesChange } from '../../plan/lifecycle/upgrade-values.js';
import { CHART_NAME, DEFAULT_CHART_REPO } from '../../plan/helm/release-plan.js';
import type { ChartTarget } from '../../plan/helm/lifecycle-argv.js';
import { recommendedImageTag } from '../../plan/versions.js';
import type { FilesPort } from '../../ports/files.js';
import { askOption } from '../../steps/ask.js';
import { askAdvancedChange } from '../../steps/settings/ask-advanced.js';
import { askImageTag } from '../../steps/settings/ask-image-tag.js';
import { askKasCa } from '../../steps/settings/ask-kas-ca.js';
import { askProxy } from '../../steps/settings/ask-proxy.js';
import { askRbac } from '../../steps/settings/ask-rbac.js';
import type { LocalInputs } from '../../steps/settings/read-local-inputs.js';
import type { GitLabSession } from '../../steps/target/connect-gitlab.js';
import type { UpgradeOptions } from './options.js';

/** Where every chosen install goes: one chart and image for all, and the settings to change. */
export interface UpgradeTarget {
  chart: ChartTarget;
  change: ValuesChange;
  /** What the image tag question settled on, for the review ("chart appVersion" when unset). */
  imageTag?: string;
  warnings: string[];
}

type Extra = 'proxy' | 'kas-ca' | 'rbac' | 'advanced';

/**
 * The target versions (default: the agentk GitLab recommends, the newest chart) and any setting to change,
 * with the install's own questions for proxy, KAS CA and RBAC. Flags answer without asking; interactively
 * the settings are asked only for what the user picks, so an upgrade never drops a setting by default.
 * The advanced options default to the release's current values (`currentValues`, read only when asked:
 * of the first install when several are upgraded).
 */
export async function chooseTarget(
  opts: UpgradeOptions,
  local: LocalInputs,
  session: GitLabSession,
  files: FilesPort,
  currentValues: () => Promise<Record<string, unknown>>,
  io: FlowIO,
): Promise<UpgradeTarget> {
  const warnings: string[] = [];
  const recommended = recommendedImageTag(session.client.url, session.metadata);
  const imageTag = await askImageTag({ given: opts.imageTag, recommended, gitlabVersion: session.metadata.version }, io, warnings);
  const chartVersion = (opts.chartVersion ?? (await askOption(io, 'chartVersion', ''))) || undefined;
  const change: ValuesChange = { imageTag: imageTag ?? null, ...(opts.imageRepository ? { imageRepository: opts.imageRepository } : {}) };

  const proxyGiven = opts.httpProxy !== undefined || opts.httpsProxy !== undefined || opts.noProxy !== undefined;
  const rbacGiven = opts.noRbac === true || opts.existingRole !== undefined;
  const advancedGiven = await askAdvancedChange(opts, async () => currentAdvancedTexts(await currentValues()), false, io);
  const given: Extra[] = [
    ...(proxyGiven ? (['proxy'] as const) : []),
    ...(opts.kasCaCert ? (['kas-ca'] as const) : []),
    ...(rbacGiven ? (['rbac'] as const) : []),
    ...(advancedGiven ? (['advanced'] as const) : []),
  ];
  const extras =
    given.length > 0
      ? given
      : await io.asker.ask<MultiSelectQuestion<Extra>>({
          kind: 'multiselect',
          id: 'change-settings',
          message: 'Change any setting as well?',
          help: 'Everything else keeps its current value (helm get values).',
          choices: [
            { value: 'proxy', label: 'HTTP proxy', hint: 'HTTPS_PROXY / HTTP_PROXY / NO_PROXY' },
            { value: 'kas-ca', label: 'KAS CA certificate', hint: 'config.kasCaCert' },
            { value: 'rbac', label: 'RBAC', hint: 'cluster-admin, an existing ClusterRole, or none' },
            {
              value: 'advanced',
              label: 'Advanced options',
              hint: 'replicas, resources, scheduling, pull secrets, pod metadata, KAS headers',
            },
          ],
          default: [],
        });
  if (extras.includes('proxy')) change.proxy = await askProxy(opts, io, warnings);
  if (extras.includes('kas-ca')) {
    const ca = await askKasCa(opts, local.kasCa, files, io);
    if (ca) change.kasCaPem = ca.ca.pem;
  }
  if (extras.includes('rbac')) change.rbac = await askRbac({ ...opts, serviceAccount: undefined }, io, warnings);
  const advanced =
    advancedGiven ??
    (extras.includes('advanced')
      ? await askAdvancedChange(opts, async () => currentAdvancedTexts(await currentValues()), true, io)
      : undefined);
  if (advanced) {
    change.advanced = advanced;
    if (advanced.changed.includes('imagePullSecret')) {
      // The release may already run from a private registry: then its pull secret is needed.
      const image = (await currentValues())['image'];
      const current = image && typeof image === 'object' ? (image as Record<string, unknown>)['repository'] : undefined;
      const repository = opts.imageRepository ?? (typeof current === 'string' && current !== '' ? current : undefined);
      const pullWarning = pullSecretWarning(advanced.settings.imagePullSecrets, repository);
      if (pullWarning) warnings.push(pullWarning);
    }
  }
  const chart: ChartTarget = {
    chart: opts.chart ? { kind: 'ref', ref: opts.chart } : { kind: 'repo', repo: opts.chartRepo ?? DEFAULT_CHART_REPO, name: CHART_NAME },
    chartVersion,
    valuesFiles: opts.values,
    sets: opts.set,
    setStrings: opts.setString ?? [],
  };
  return { chart, change, ...(imageTag ? { imageTag } : {}), warnings };
}

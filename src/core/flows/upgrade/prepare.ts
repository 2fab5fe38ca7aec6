import { stringify } from 'yaml';
import type { AgentInstall } from '../../discovery/agent-install.js';
import { FlowError } from '../../kernel/errors.js';
import type { FlowIO } from '../../kernel/io.js';
import { buildHelmTemplateArgs, pasteableHelmUpgrade } from '../../plan/helm/lifecycle-argv.js';
import { CHART_NAME } from '../../plan/helm/release-plan.js';
import { installName } from '../../plan/lifecycle/install-health.js';
import { manifestDiff } from '../../plan/lifecycle/manifest-diff.js';
import { parseManifest, renderedChartVersion, renderedDeployments, type RenderedDeployment } from '../../plan/lifecycle/manifest.js';
import { pinnedImageTag, upgradeValues } from '../../plan/lifecycle/upgrade-values.js';
import { valuesDiff } from '../../plan/lifecycle/values-diff.js';
import type { HelmPlacement } from '../../plan/helm/release-plan.js';
import type { Ports } from '../../ports/index.js';
import type { ReleaseState } from '../../steps/lifecycle/read-release.js';
import type { UpgradeTarget } from './target.js';

/** One install's upgrade, worked out read-only: what it runs now, what it will run, and the diffs. */
export interface PreparedUpgrade {
  install: AgentInstall;
  release: string;
  at: HelmPlacement;
  /** The revision it runs now, or the newest that worked when the last one failed: where a rollback goes. */
  revision: number;
  values: Record<string, unknown>;
  from: { chart?: string; agentVersion?: string };
  to: { chart?: string; agentVersion?: string };
  /** The Deployment the target chart renders: its selector is what the rollout watch follows. */
  deployment?: RenderedDeployment;
  valuesDiff: string[];
  manifestDiff: string[];
  command: string;
}

function imageTagOf(d: RenderedDeployment | undefined): string | undefined {
  const image = (d?.containers.find((c) => c.image?.includes('agentk')) ?? d?.containers[0])?.image;
  if (!image) return undefined;
  const at = image.lastIndexOf(':');
  return at > image.lastIndexOf('/') ? image.slice(at + 1) : undefined;
}

/**
 * Computes the values the upgrade passes from the release as read (`state`: values, manifest, history),
 * and renders the target chart with them (`helm template`): a chart or value helm cannot render fails
 * here, before anything changed.
 */
export async function prepareUpgrade(
  install: AgentInstall,
  state: ReleaseState,
  target: UpgradeTarget,
  kubeconfig: string | undefined,
  ports: Ports,
  io: FlowIO,
): Promise<PreparedUpgrade> {
  const release = install.release!;
  const at: HelmPlacement = { kubeconfig, context: install.context, namespace: install.namespace };
  const { values: current, manifest, history } = state;
  const values = upgradeValues(current, target.change);
  const rendered = await ports.helm.capture({
    args: buildHelmTemplateArgs(at, release, target.chart),
    stdin: stringify(values, { lineWidth: 0 }),
    signal: io.signal,
  });
  // A rollback goes to the newest revision that worked, not to a failed last attempt.
  const good = history.filter((h) => h.status === 'deployed' || h.status === 'superseded').map((h) => h.revision);
  const revision = install.releaseStatus === 'deployed' || good.length === 0 ? (install.revision ?? 0) : Math.max(...good);
  if (rendered.exitCode !== 0) {
    const why =
      rendered.stderrTail
        .filter((l) => l.trim())
        .at(-1)
        ?.replace(/^Error: /, '') ?? `exit code ${rendered.exitCode}`;
    throw new FlowError(
      'helm template',
      `${installName(install)}: the target chart does not render: ${why}`,
      'check --chart-version, --chart-repo and the values; nothing was changed',
    );
  }
  if (rendered.truncated)
    throw new FlowError('helm template', `${installName(install)}: the rendered chart is larger than we keep in memory`);
  const targetObjects = parseManifest(rendered.stdout);
  const currentObjects = parseManifest(manifest);
  const deployment = renderedDeployments(targetObjects)[0];
  const targetChart = renderedChartVersion(targetObjects, CHART_NAME);
  return {
    install,
    release,
    at,
    revision,
    values,
    from: { chart: install.chart, agentVersion: install.agentVersion },
    to: {
      chart: targetChart
        ? `${CHART_NAME}-${targetChart}`
        : target.chart.chartVersion
          ? `${CHART_NAME}-${target.chart.chartVersion}`
          : undefined,
      agentVersion: imageTagOf(deployment) ?? pinnedImageTag(values),
    },
    ...(deployment ? { deployment } : {}),
    valuesDiff: valuesDiff(current, values),
    manifestDiff: manifestDiff(currentObjects, targetObjects, install.namespace),
    command: pasteableHelmUpgrade(at, release, target.chart, values),
  };
}

import { UsageError } from '../../kernel/errors.js';
import { buildHelmTemplateArgs } from '../../plan/helm/lifecycle-argv.js';
import { renderedObjects } from '../../plan/rendered-access.js';
import type { HelmReleasePlan } from '../../plan/helm/release-plan.js';
import { helmValuesYaml } from '../../plan/helm/values.js';
import type { DeliveryCheckContext, Rendered } from '../delivery.js';

/**
 * Renders the chart with the exact values, version and source the install will use (`helm template`,
 * values on stdin, no token), before anything is created: a chart that does not render is bad input
 * with helm's own words. Rendered as an install: `--is-upgrade` changes nothing the chart does.
 */
export async function renderChart(c: DeliveryCheckContext<HelmReleasePlan>): Promise<Rendered> {
  const { ports, plan, settings, target, io } = c;
  const at = { kubeconfig: target.kubeconfig, context: target.context, namespace: target.namespace };
  const [rendered, helm] = await Promise.all([
    ports.helm.capture({ args: buildHelmTemplateArgs(at, plan.release, plan, false), stdin: helmValuesYaml(settings), signal: io.signal }),
    ports.helm.version().catch(() => undefined),
  ]);
  if (rendered.exitCode !== 0) throw renderError(rendered.stderrTail, plan);
  if (rendered.truncated)
    throw new UsageError('--chart', 'the chart renders more than this tool reads', 'check the chart and its values (helm template)');
  const objects = renderedObjects(rendered.stdout);
  if (!objects.some((o) => o.kind === 'Deployment')) {
    throw new UsageError(
      '--chart',
      'the chart renders no Deployment, so no agent would run',
      'check --chart/--chart-version and the values that turn parts of the chart off',
    );
  }
  return { objects, serverSideApply: (helm?.major ?? 3) >= 4 };
}

function renderError(stderr: string[], plan: HelmReleasePlan): UsageError {
  const text = stderr.map((l) => l.trim()).filter(Boolean);
  const message = (text.find((l) => /^Error:/.test(l)) ?? text.at(-1) ?? 'helm template failed').replace(/^Error:\s*/, '');
  if (/missing in charts\/ directory|dependencies? .*(missing|not found)|found in Chart\.yaml, but missing/i.test(message)) {
    const dir = plan.chart.kind === 'repo' ? 'the chart directory' : plan.chart.ref;
    return new UsageError(
      '--chart',
      `the chart does not render: ${message}`,
      `build its dependencies first: helm dependency build ${dir} (a source checkout has no charts/)`,
    );
  }
  if (
    /values|yaml|parse|unmarshal|wrong type|invalid|--set/i.test(message) &&
    (plan.valuesFiles.length > 0 || plan.sets.length > 0 || plan.setStrings.length > 0)
  ) {
    return new UsageError(
      '--values',
      `the chart does not render with these values: ${message}`,
      'fix the --values file or --set item helm names',
    );
  }
  const flag = plan.chart.kind === 'repo' ? '--chart-version' : '--chart';
  return new UsageError(
    flag,
    `the chart does not render: ${message}`,
    plan.chart.kind === 'repo' ? 'check --chart-version and --chart-repo' : 'check --chart (a directory, .tgz or oci:// reference)',
  );
}

import { FlowError } from '../../kernel/errors.js';
import { redact } from '../../kernel/safe-text.js';
import { buildHelmUpgradeArgs, helmUninstallCommand } from '../../plan/helm/argv.js';
import type { HelmPlacement, HelmReleasePlan } from '../../plan/helm/release-plan.js';
import { helmValuesYaml } from '../../plan/helm/values.js';
import type { DeliveryApplyContext } from '../delivery.js';
import type { HelmState } from './preflight.js';

export const HELM_LOG_SOURCE = 'helm';

export function placementOf(c: { target: { kubeconfig?: string; context: string; namespace: string } }): HelmPlacement {
  return { kubeconfig: c.target.kubeconfig, context: c.target.context, namespace: c.target.namespace };
}

/** helm upgrade --install with the values on stdin, output streamed as it comes. */
export async function runHelmInstall(c: DeliveryApplyContext<HelmReleasePlan, HelmState>, helmLogPath: string | undefined): Promise<void> {
  const { ports, io, plan, target, ledger } = c;
  const at = placementOf(c);
  const log = helmLogPath ? await ports.files.openLog(helmLogPath) : undefined;
  const undo = helmUninstallCommand(at, plan.release);
  // A release that helm recorded before it failed or was stopped is part of what this run leaves.
  const ownLeftover = async () => {
    if (c.state.releaseExists) return;
    const left = await ports.helm
      .listReleases({ kubeconfig: target.kubeconfig, context: target.context }, target.namespace)
      .catch(() => []);
    if (left.some((r) => r.name === plan.release)) {
      ledger.record({
        kind: 'release',
        id: `${target.namespace}/${plan.release}`,
        description: `helm release ${plan.release} in ${target.namespace} (failed)`,
        created: true,
        undo,
      });
    }
  };
  let result;
  try {
    result = await ports.helm
      .run({
        args: buildHelmUpgradeArgs(at, plan),
        stdin: helmValuesYaml(c.settings),
        onLine: (line, stream) => {
          // The log file is an output boundary too: whatever helm echoes, no live secret reaches it.
          log?.write(redact(line));
          io.emit({ type: 'log', source: HELM_LOG_SOURCE, line, stream });
        },
        signal: io.signal,
      })
      .finally(() => log?.close());
  } catch (err) {
    await ownLeftover();
    throw err;
  }
  if (helmLogPath) io.emit({ type: 'info', text: `helm's full output is in ${helmLogPath}` });
  if (result.exitCode !== 0) {
    // A failed install usually leaves a release record and some objects (say a ClusterRoleBinding): own them.
    await ownLeftover();
    const last = result.stderrTail.filter((l) => l.trim()).slice(-1)[0] ?? 'no error output';
    throw new FlowError(
      'helm',
      `helm exited with code ${result.exitCode}: ${last.replace(/^Error: /, '')}`,
      helmHint(result.stderrTail.join('\n')),
    );
  }
  ledger.record({
    kind: 'release',
    id: `${target.namespace}/${plan.release}`,
    description: `helm release ${plan.release} in ${target.namespace}`,
    created: !c.state.releaseExists,
    undo,
  });
}

function helmHint(stderr: string): string | undefined {
  if (/unclosed action|parse error/i.test(stderr)) return 'your helm is too old for the chart: use helm 3.6 or newer';
  if (/no such host|connection refused|dial tcp/i.test(stderr))
    return 'helm could not reach the chart repository or the cluster: check --chart-repo and your network';
  if (/not found/i.test(stderr) && /chart/i.test(stderr))
    return 'the chart or chart version was not found: check --chart-version and --chart-repo';
  if (/forbidden/i.test(stderr)) return 'the cluster refused an object: check your RBAC rights';
  return undefined;
}

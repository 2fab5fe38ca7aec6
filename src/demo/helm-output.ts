import { stringify } from 'yaml';
import type { HelmStream } from '../core/ports/helm.js';
import { chartFullname } from '../core/plan/names.js';
import { deploymentName } from './pod-timeline.js';
import { DEMO_CHART, isValues, redactTokens, stringAt, type Values } from './release-values.js';

/** What `helm upgrade --install` prints, in --debug style: debug lines on stderr, the release report on stdout. */

export interface HelmLine {
  line: string;
  stream: HelmStream;
}

export interface UpgradeTranscript {
  /** Printed while helm prepares; the objects are created after the last one. */
  before: HelmLine[];
  /** Printed once the release is recorded. */
  after: HelmLine[];
}

export interface TranscriptInput {
  release: string;
  namespace: string;
  revision: number;
  installing: boolean;
  chartVersion?: string;
  userValues: Values;
  computedValues: Values;
  deployedAt: Date;
}

const out = (line: string): HelmLine => ({ line, stream: 'stdout' });
const debug = (line: string): HelmLine => ({ line, stream: 'stderr' });

/** Go's time.ANSIC layout, which helm uses for LAST DEPLOYED. */
function ansic(d: Date): string {
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getMonth()];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${day} ${month} ${String(d.getDate()).padStart(2, ' ')} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${d.getFullYear()}`;
}

function yamlLines(values: Values): string[] {
  return stringify(redactTokens(values), { lineWidth: 0 }).replace(/\n$/, '').split('\n');
}

/** The chart's objects for these values, as helm's debug output names them. */
function resources(input: TranscriptInput): string[] {
  const full = chartFullname(input.release);
  const list = [`ServiceAccount "${full}"`, `Role "${full}-leases"`, `RoleBinding "${full}-leases"`];
  const rbac = input.computedValues.rbac;
  const role = stringAt(input.computedValues, 'rbac', 'useExistingRole');
  if (!isValues(rbac) || rbac.create !== false) {
    list.push(`ClusterRoleBinding "${input.namespace}:${full}-${role ?? 'cluster-admin'}"`);
  }
  if (stringAt(input.computedValues, 'config', 'kasCaCert')) list.push(`ConfigMap "${full}"`);
  list.push(`Deployment "${deploymentName(input.release)}"`);
  return list;
}

export function upgradeTranscript(input: TranscriptInput): UpgradeTranscript {
  const { release, namespace } = input;
  const objects = resources(input);
  const before: HelmLine[] = [debug(`history.go:56: [debug] getting history for release ${release}`)];
  if (input.installing) {
    before.push(
      out(`Release "${release}" does not exist. Installing it now.`),
      debug(`install.go:225: [debug] Original chart version: "${input.chartVersion ?? ''}"`),
      debug(
        `install.go:242: [debug] CHART PATH: /home/demo/.cache/helm/repository/${DEMO_CHART.name}-${input.chartVersion ?? DEMO_CHART.version}.tgz`,
      ),
      debug(`client.go:142: [debug] creating ${objects.length} resource(s)`),
    );
  } else {
    before.push(
      debug(`upgrade.go:164: [debug] preparing upgrade for ${release}`),
      debug(`upgrade.go:172: [debug] performing update for ${release}`),
      debug(`upgrade.go:344: [debug] creating upgraded release for ${release}`),
      debug(`client.go:393: [debug] checking ${objects.length} resources for changes`),
      ...objects.map((o) =>
        o.startsWith('Deployment')
          ? debug(`client.go:693: [debug] Patch ${o} in namespace ${namespace}`)
          : debug(`client.go:684: [debug] Looks like there are no changes for ${o}`),
      ),
      debug(`upgrade.go:430: [debug] updating status for upgraded release for ${release}`),
    );
  }
  const after: HelmLine[] = [
    ...(input.installing ? [] : [out(`Release "${release}" has been upgraded. Happy Helming!`)]),
    out(`NAME: ${release}`),
    out(`LAST DEPLOYED: ${ansic(input.deployedAt)}`),
    out(`NAMESPACE: ${namespace}`),
    out('STATUS: deployed'),
    out(`REVISION: ${input.revision}`),
    out('TEST SUITE: None'),
    out('USER-SUPPLIED VALUES:'),
    ...yamlLines(input.userValues).map(out),
    out(''),
    out('COMPUTED VALUES:'),
    ...yamlLines(input.computedValues).map(out),
    out(''),
    out('NOTES:'),
    out(`Thank you for installing ${DEMO_CHART.name}.`),
    out(''),
    out(`Your release is named ${release}.`),
    out(''),
    out('To learn more about the release, try:'),
    out(''),
    out(`  $ helm status ${release} -n ${namespace}`),
    out(`  $ helm get all ${release} -n ${namespace}`),
  ];
  return { before, after };
}

import type { HelmRelease } from '../core/ports/helm.js';
import { DEMO_CHART } from './release-values.js';
import { currentRevision, type DemoCluster } from './world.js';

/** What `helm list` shows of a simulated cluster (and what its release Secrets would say). */
export function releaseInfo(c: DemoCluster, namespace?: string): HelmRelease[] {
  return c.releases
    .filter((r) => !r.manifests && (namespace === undefined || r.namespace === namespace))
    .map((r) => {
      const rev = currentRevision(r);
      return {
        name: r.name,
        namespace: r.namespace,
        revision: rev.revision,
        status: rev.status,
        chart: `${DEMO_CHART.name}-${rev.chartVersion}`,
        appVersion: rev.appVersion,
      };
    });
}

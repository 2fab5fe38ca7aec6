import { stringify } from 'yaml';
import { chartFullname } from '../core/plan/names.js';
import { deploymentName } from './pod-timeline.js';
import { agentImage, replicasOf, stringAt, type Values } from './release-values.js';

/**
 * What the simulated chart renders for a release: the objects `helm get manifest` and `helm template`
 * print, so the flows that read a release's own objects (its Deployment and selector) work in the demo.
 */
export function renderManifest(release: string, namespace: string, values: Values): string {
  const name = stringAt(values, 'nameOverride') ?? 'gitlab-agent';
  const full = chartFullname(release);
  const selector = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': release };
  const { image } = agentImage(values);
  const kasAddress = stringAt(values, 'config', 'kasAddress');
  const objects: Values[] = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: full, namespace, labels: selector } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${namespace}:${full}-cluster-admin`, labels: selector },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: full, namespace }],
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: deploymentName(release), namespace, labels: selector },
      spec: {
        replicas: replicasOf(values),
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: {
            serviceAccountName: full,
            containers: [
              {
                name: 'gitlab-agent',
                image,
                args: ['--token-file=/etc/agentk/secrets/token', ...(kasAddress ? [`--kas-address=${kasAddress}`] : [])],
                ...(Array.isArray(values.extraEnv) && values.extraEnv.length > 0 ? { env: values.extraEnv } : {}),
              },
            ],
          },
        },
      },
    },
  ];
  return objects.map((o) => `---\n${stringify(o)}`).join('');
}

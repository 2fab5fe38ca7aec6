import { kubectlJson, releaseSelector, type KubeList, type KubeObject } from './kube.js';

export interface Container {
  name: string;
  image?: string;
  args?: string[];
  env?: { name: string; value?: string }[];
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface Volume {
  name: string;
  secret?: { secretName: string };
  configMap?: { name: string };
}

export interface Deployment extends KubeObject {
  spec: {
    replicas: number;
    template: {
      metadata: { annotations?: Record<string, string> };
      spec: { serviceAccountName?: string; containers: Container[]; volumes?: Volume[] };
    };
  };
  status?: { readyReplicas?: number; replicas?: number };
}

export interface ClusterRoleBinding extends KubeObject {
  roleRef: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
}

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

export interface Secret extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}

/** What one release of the chart put into the cluster, found by the chart's labels (never a guessed name). */
export interface AgentObjects {
  deployments: Deployment[];
  configMaps: ConfigMap[];
  serviceAccounts: KubeObject[];
  clusterRoleBindings: ClusterRoleBinding[];
}

export async function agentObjects(namespace: string, release: string): Promise<AgentObjects> {
  const sel = releaseSelector(release);
  const [deployments, configMaps, serviceAccounts, clusterRoleBindings] = await Promise.all([
    kubectlJson<KubeList<Deployment>>(['get', 'deployments', '-n', namespace, '-l', sel]),
    kubectlJson<KubeList<ConfigMap>>(['get', 'configmaps', '-n', namespace, '-l', sel]),
    kubectlJson<KubeList>(['get', 'serviceaccounts', '-n', namespace, '-l', sel]),
    kubectlJson<KubeList<ClusterRoleBinding>>(['get', 'clusterrolebindings', '-l', sel]),
  ]);
  return {
    deployments: deployments.items,
    configMaps: configMaps.items,
    serviceAccounts: serviceAccounts.items,
    clusterRoleBindings: clusterRoleBindings.items,
  };
}

/** The agentk container: named after the chart ("gitlab-agent"), as in the official chart. */
export const AGENT_CONTAINER = 'gitlab-agent';

export function agentContainer(d: Deployment): Container {
  const c = d.spec.template.spec.containers.find((x) => x.name === AGENT_CONTAINER);
  if (!c) throw new Error(`deployment ${d.metadata.name} has no container "${AGENT_CONTAINER}"`);
  return c;
}

export function envOf(c: Container): Record<string, string | undefined> {
  return Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
}

/** Every object in a namespace that a token could be smuggled into (metadata or data). */
export async function namespaceObjects(namespace: string): Promise<KubeObject[]> {
  const kinds = 'configmaps,secrets,serviceaccounts,services,deployments,replicasets,pods,events';
  return (await kubectlJson<KubeList>(['get', kinds, '-n', namespace])).items;
}

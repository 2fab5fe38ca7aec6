import { stringify } from 'yaml';
import type { KubeObject } from '../../ports/kube/objects.js';
import type { AgentSettings } from '../agent-settings.js';
import { chartFullname } from '../names.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../ownership.js';
import { SECURE_CONTAINER_SECURITY_CONTEXT, SECURE_POD_SECURITY_CONTEXT } from '../secure-defaults.js';
import type { RepoFile } from '../repo-file.js';
import { rolloutAnnotations } from '../helm/values.js';
import { CHART_REPLICAS } from '../advanced-options.js';

const AGENTK_IMAGE = 'registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk';
const TOKEN_DIR = '/etc/agentk/secrets';
const CA_DIR = '/etc/agentk/config';

export interface PackageInput {
  /** The workload's name: objects are called <name>-gitlab-agent, as the chart calls them. */
  name: string;
  namespace: string;
  /** agentk's tag: always pinned here, there is no chart appVersion to fall back on. */
  imageTag: string;
  settings: AgentSettings;
}

/** Labels on every object; the first two select the pods, as the chart's do, so readiness and discovery find them. */
function packageLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': 'gitlab-agent', 'app.kubernetes.io/instance': name, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
}

function deployment(input: PackageInput, fullname: string, serviceAccount: string): KubeObject {
  const { settings, namespace, name } = input;
  const labels = packageLabels(name);
  const args = [`--token-file=${TOKEN_DIR}/token`, `--kas-address=${settings.kasAddress}`];
  if (settings.kasCa) args.push(`--kas-ca-cert-file=${CA_DIR}/ca.crt`);
  const advanced = settings.advanced;
  // As the chart passes config.kasHeaders and extraArgs.
  for (const header of advanced?.kasHeaders ?? []) args.push('--kas-header', header);
  if (advanced?.kasTlsServerName) args.push(`--kas-tls-server-name=${advanced.kasTlsServerName}`);
  const field = (path: string) => ({ valueFrom: { fieldRef: { fieldPath: path } } });
  const env: Record<string, unknown>[] = [
    { name: 'POD_NAMESPACE', ...field('metadata.namespace') },
    { name: 'POD_NAME', ...field('metadata.name') },
    { name: 'SERVICE_ACCOUNT_NAME', ...field('spec.serviceAccountName') },
  ];
  const { proxy } = settings;
  if (proxy.httpProxy) env.push({ name: 'HTTP_PROXY', value: proxy.httpProxy });
  if (proxy.httpsProxy) env.push({ name: 'HTTPS_PROXY', value: proxy.httpsProxy });
  if (proxy.noProxy) env.push({ name: 'NO_PROXY', value: proxy.noProxy });
  const mounts: Record<string, unknown>[] = [
    { name: 'token-volume', mountPath: TOKEN_DIR, readOnly: true },
    { name: 'service-account-token-volume', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
  ];
  const volumes: Record<string, unknown>[] = [
    // A reference only: the Secret is created through the API, its value never written to a file.
    { name: 'token-volume', secret: { secretName: settings.tokenSecret.name, items: [{ key: 'token', path: 'token' }] } },
    {
      // What automountServiceAccountToken would give, with a one-hour token (as the chart does).
      name: 'service-account-token-volume',
      projected: {
        defaultMode: 0o444,
        sources: [
          { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    },
  ];
  if (settings.kasCa) {
    mounts.push({ name: 'kas-ca-volume', mountPath: CA_DIR, readOnly: true });
    volumes.push({ name: 'kas-ca-volume', configMap: { name: `${fullname}-kas-ca` } });
  }
  // The user's pod labels and annotations, then ours: the selector labels and rollout annotations must stay ours.
  const podLabels = { ...advanced?.podLabels, ...labels };
  const annotations = { ...advanced?.podAnnotations, ...rolloutAnnotations(settings) };
  const placement: Record<string, unknown> = {};
  if (advanced && Object.keys(advanced.nodeSelector).length > 0) placement.nodeSelector = advanced.nodeSelector;
  if (advanced && advanced.tolerations.length > 0) placement.tolerations = advanced.tolerations;
  if (advanced?.priorityClassName) placement.priorityClassName = advanced.priorityClassName;
  if (advanced && advanced.imagePullSecrets.length > 0) placement.imagePullSecrets = advanced.imagePullSecrets.map((n) => ({ name: n }));
  const probe = (path: string, delay: number, period: number) => ({
    httpGet: { path, port: 8080 },
    initialDelaySeconds: delay,
    periodSeconds: period,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: fullname, namespace, labels },
    spec: {
      replicas: advanced?.replicas ?? CHART_REPLICAS,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      selector: { matchLabels: { 'app.kubernetes.io/name': labels['app.kubernetes.io/name'], 'app.kubernetes.io/instance': name } },
      template: {
        // A new token or CA changes the template, so the apply rolls the pods.
        metadata: { labels: podLabels, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
        spec: {
          serviceAccountName: serviceAccount,
          ...placement,
          automountServiceAccountToken: false,
          securityContext: SECURE_POD_SECURITY_CONTEXT,
          containers: [
            {
              name: 'agentk',
              image: `${settings.image.repository ?? AGENTK_IMAGE}:${input.imageTag}`,
              args,
              env,
              ports: [{ name: 'observability', containerPort: 8080, protocol: 'TCP' }],
              livenessProbe: probe('/liveness', 15, 20),
              readinessProbe: probe('/readiness', 5, 10),
              resources: {
                requests: advanced?.requests ?? { cpu: '100m', memory: '128Mi' },
                limits: advanced?.limits ?? { memory: '256Mi' },
              },
              securityContext: SECURE_CONTAINER_SECURITY_CONTEXT,
              terminationMessagePolicy: 'FallbackToLogsOnError',
              volumeMounts: mounts,
            },
          ],
          volumes,
        },
      },
    },
  };
}

/**
 * The agent as plain Kubernetes objects we own, in apply order: namespace, service account, RBAC per
 * the chosen option, the KAS CA, and the Deployment (proxy env, CA, secure defaults, a reference to
 * the token Secret).
 */
export function agentObjects(input: PackageInput): KubeObject[] {
  const { settings, namespace, name } = input;
  const labels = packageLabels(name);
  const fullname = chartFullname(name);
  const serviceAccount = settings.serviceAccount ?? fullname;
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } } },
  ];
  if (!settings.serviceAccount) {
    objects.push({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: fullname, namespace, labels },
      automountServiceAccountToken: false,
    });
  }
  if (settings.rbac.mode !== 'none') {
    const role = settings.rbac.mode === 'cluster-admin' ? 'cluster-admin' : settings.rbac.role;
    objects.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${namespace}:${fullname}-${role}`.slice(0, 253), labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace }],
    });
  }
  if (settings.kasCa) {
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${fullname}-kas-ca`, namespace, labels },
      data: { 'ca.crt': settings.kasCa.pem },
    });
  }
  objects.push(deployment(input, fullname, serviceAccount));
  return objects;
}

const FILE_OF: Record<string, string> = {
  Namespace: 'namespace.yaml',
  ServiceAccount: 'serviceaccount.yaml',
  ClusterRoleBinding: 'clusterrolebinding.yaml',
  ConfigMap: 'kas-ca-configmap.yaml',
  Deployment: 'deployment.yaml',
};

/** The same objects as a kustomize package: one file per object, a kustomization.yaml, and a README on the token. */
export function renderPackage(input: PackageInput): RepoFile[] {
  const objects = agentObjects(input);
  const files = objects.map((o) => ({ path: FILE_OF[o.kind] ?? `${o.kind.toLowerCase()}.yaml`, content: stringify(o, { lineWidth: 0 }) }));
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: files.map((f) => f.path),
  };
  const secret = input.settings.tokenSecret.name;
  const readme = [
    `# GitLab agent ${input.name} (agentk ${input.imageTag})`,
    '',
    'Written by gitlab-agent-tui. Apply with `kubectl apply --server-side -k .`.',
    '',
    `The agent reads its token from the Secret \`${secret}\` (key \`token\`) in namespace \`${input.namespace}\`.`,
    'It is deliberately not part of this package: never commit a token. Create it through the API, e.g.',
    '',
    '```sh',
    `kubectl -n ${input.namespace} create secret generic ${secret} --from-file=token=/dev/stdin  # paste the token, then Ctrl-D`,
    '```',
    '',
    'or let a secret manager (External Secrets, Sealed Secrets, SOPS) provide it.',
    '',
  ].join('\n');
  return [
    { path: 'kustomization.yaml', content: stringify(kustomization, { lineWidth: 0 }) },
    ...files,
    { path: 'README.md', content: readme },
  ];
}

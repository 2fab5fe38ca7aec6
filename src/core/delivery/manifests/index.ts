import { stringify } from 'yaml';
import { FlowError } from '../../kernel/errors.js';
import { optionError } from '../../options/catalogue.js';
import { agentSelector, releaseNameProblem } from '../../plan/names.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../plan/ownership.js';
import { kubectlWords, tokenSecretScript } from '../../plan/token-secret-script.js';
import type { KubeObject } from '../../ports/kube/index.js';
import { askOption } from '../../steps/ask.js';
import type { NeededAccess } from '../../steps/check/access.js';
import type { Delivery } from '../delivery.js';
import { describeObject, filesOf, objectsOf, refuseHelmOptions, type ManifestsPlan } from './plan.js';

const FIELD_MANAGER = 'gitlab-agent-tui';

interface ManifestsState {
  /** Our Deployment is there already: a re-run updates it. */
  exists: boolean;
}

/** Namespaced objects of a namespace that does not exist yet are checked in "default" (their own would 404). */
const CHECK_NAMESPACE = 'default';

const applied = (objects: KubeObject[]) => objects.filter((o) => o.kind !== 'Namespace');

function multiDocument(objects: KubeObject[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}

/**
 * The agent as a kustomize package we own (GitLab's "advanced installation method"), applied with
 * server-side apply and dry-run checked before anything is created. The token Secret is referenced,
 * never part of the package: the install creates it through the API.
 */
export const manifestsDelivery: Delivery<ManifestsPlan, ManifestsState> = {
  method: 'advanced',
  label: 'Advanced (manifests)',
  hint: 'our own kustomize package, applied server-side; no helm',
  activity: 'the Kubernetes API',
  applyTitle: 'Apply the manifests',

  askName: (c) =>
    c.opts.release !== undefined
      ? Promise.resolve(c.opts.release)
      : askOption(c.io, 'release', c.agentName, releaseNameProblem, {
          message: 'Name of the agent workload',
          help: 'Objects are called <name>-gitlab-agent, as the chart calls them.',
        }),
  askVersion: async () => undefined,
  validate: (opts) => refuseHelmOptions(opts, 'advanced'),
  plan: (opts, name) => ({ name, manifestsDir: opts.manifestsDir }),
  nameOf: (plan) => plan.name,
  summary: (target, plan) => `namespace ${target.namespace}, manifests ${plan.name}`,

  requiredAccess(target, settings, _plan, namespaceExists): NeededAccess[] {
    const ns = target.namespace;
    const checks: NeededAccess[] = [];
    if (!namespaceExists && target.createNamespace)
      checks.push({ verb: 'create', group: '', resource: 'namespaces', why: `create namespace ${ns}` });
    if (!settings.tokenSecret.own) {
      checks.push({ verb: 'create', group: '', resource: 'secrets', namespace: ns, why: 'store the agent token' });
      checks.push({ verb: 'update', group: '', resource: 'secrets', namespace: ns, why: 'replace the agent token on re-runs' });
    }
    checks.push(
      { verb: 'create', group: 'apps', resource: 'deployments', namespace: ns, why: 'run agentk' },
      { verb: 'patch', group: 'apps', resource: 'deployments', namespace: ns, why: 'update agentk on re-runs (server-side apply)' },
      { verb: 'watch', group: '', resource: 'pods', namespace: ns, why: 'watch the agent pods become Ready' },
    );
    if (!settings.serviceAccount)
      checks.push({ verb: 'create', group: '', resource: 'serviceaccounts', namespace: ns, why: "create the agent's service account" });
    if (settings.rbac.mode !== 'none') {
      checks.push({
        verb: 'create',
        group: 'rbac.authorization.k8s.io',
        resource: 'clusterrolebindings',
        why: `bind the agent to ${settings.rbac.mode === 'cluster-admin' ? 'cluster-admin' : settings.rbac.role}`,
      });
    }
    if (settings.kasCa)
      checks.push({ verb: 'create', group: '', resource: 'configmaps', namespace: ns, why: 'store the KAS CA certificate' });
    return checks;
  },

  async preflight(c) {
    const { cluster, target, settings, plan } = c;
    const objects = applied(objectsOf(target, settings, plan));
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    const notes: string[] = [];
    const existing = c.namespaceExists
      ? await cluster.getObject({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: target.namespace, name: deployment.metadata.name })
      : undefined;
    if (existing && existing.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) {
      throw optionError(
        'release',
        `Deployment ${target.namespace}/${deployment.metadata.name} exists and was not made by this tool`,
        'choose another --release or --namespace',
      );
    }
    if (existing) notes.push(`Deployment ${deployment.metadata.name} exists: it will be updated`);
    // What the API server would say to the real apply: schema, admission, Pod Security.
    if (!c.namespaceExists)
      notes.push(`namespace ${target.namespace} does not exist yet: its objects were checked in namespace ${CHECK_NAMESPACE}`);
    for (const o of objects) {
      const probe = o.metadata.namespace && !c.namespaceExists ? { ...o, metadata: { ...o.metadata, namespace: CHECK_NAMESPACE } } : o;
      try {
        await cluster.applyObject(probe, { fieldManager: FIELD_MANAGER, dryRun: true, force: true });
      } catch (err) {
        throw new FlowError(
          'preflight',
          `the API server refuses ${describeObject(o)}: ${(err as Error).message}`,
          'nothing was created; check the options (or your rights) and run again',
        );
      }
    }
    return { state: { exists: existing !== undefined }, notes, upgrading: existing !== undefined };
  },

  reviewItems: (plan) => ({
    placement: [
      {
        label: 'Manifests',
        value: `${plan.name}: applied server-side${plan.manifestsDir ? `, package written to ${plan.manifestsDir}` : ''}`,
      },
    ],
    extra: [],
  }),
  pasteable: (target, settings, plan) =>
    [
      ...tokenSecretScript(target, settings.tokenSecret),
      `${kubectlWords(target)} apply --server-side \\`,
      `  --field-manager=${FIELD_MANAGER} -f - <<'YAML'`,
      multiDocument(objectsOf(target, settings, plan)).replace(/\n$/, ''),
      'YAML',
    ].join('\n'),
  answers: (plan) => ({ release: plan.name, manifestsDir: plan.manifestsDir }),
  exportText: (settings, plan, target) => multiDocument(objectsOf(target, settings, plan)),

  async apply(c) {
    const { cluster, target, settings, plan, ledger, ports } = c;
    if (plan.manifestsDir) {
      await ports.files.ensureDir(plan.manifestsDir);
      for (const file of filesOf(target, settings, plan))
        await ports.files.writeText(`${plan.manifestsDir.replace(/\/+$/, '')}/${file.path}`, file.content);
      c.io.emit({ type: 'info', text: `kustomize package written to ${plan.manifestsDir} (no token in it)` });
    }
    const objects = applied(objectsOf(target, settings, plan));
    const done: KubeObject[] = [];
    const record = () =>
      ledger.record({
        kind: 'release',
        id: `${target.namespace}/${plan.name}`,
        description: `manifests ${plan.name}: ${done.map(describeObject).join(', ')}`,
        created: !c.state.exists,
        undo: `kubectl --context ${target.context} delete ${done.map((o) => `${o.kind.toLowerCase()}/${o.metadata.name}${o.metadata.namespace ? ` -n ${o.metadata.namespace}` : ''}`).join(' ')}`,
      });
    try {
      for (const o of objects) {
        await cluster.applyObject(o, { fieldManager: FIELD_MANAGER, force: true });
        done.push(o);
      }
    } catch (err) {
      if (done.length > 0) record();
      throw new FlowError(
        'apply',
        `server-side apply failed: ${(err as Error).message}`,
        'what was applied is listed below; re-running resumes',
      );
    }
    record();
  },
  workload: (target, plan) => ({ namespace: target.namespace, selector: agentSelector(plan.name) }),
  uninstallHint: (target, plan) =>
    `kubectl --context ${target.context} delete deployment,serviceaccount,configmap -n ${target.namespace} -l app.kubernetes.io/instance=${plan.name},${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE} and its ClusterRoleBinding`,

  async remove(_entry, target, plan, ports) {
    const cluster = await ports.kube.cluster({ kubeconfig: target.kubeconfig }, target.context);
    // Ours by label: a service account or namespace we did not make carries none and stays.
    const selector = `app.kubernetes.io/instance=${plan.name},${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;
    const kinds = [
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: target.namespace },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: target.namespace },
      { apiVersion: 'v1', kind: 'ServiceAccount', namespace: target.namespace },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' },
    ];
    for (const k of kinds) {
      for (const o of await cluster.listObjects({ ...k, labelSelector: selector })) {
        await cluster.deleteObject({ apiVersion: k.apiVersion, kind: k.kind, namespace: o.metadata.namespace, name: o.metadata.name });
      }
    }
  },
};

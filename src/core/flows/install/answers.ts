import type { OptionValues } from '../../options/values.js';
import type { AdvancedSettings, ResourceList } from '../../plan/advanced-options.js';
import type { Checked } from './check.js';
import type { Gathered } from './gather.js';
import type { InstallOptions } from './options.js';

/**
 * What this run was answered, flag or question alike, as option values: the equivalent command line
 * gives each as its flag. A default the flag mode would take the same way is left out; secrets have no
 * option at all (the GitLab token comes from GITLAB_TOKEN, agent tokens from GitLab).
 */
export function installAnswers(g: Gathered, c: Checked | undefined, opts: InstallOptions): Partial<OptionValues> {
  const { target, settings } = g;
  const { rbac, proxy } = settings;
  return {
    kubeconfig: opts.kubeconfig,
    context: target.context,
    gitlabUrl: target.gitlabUrl,
    gitlabCa: opts.gitlabCa,
    kasAddress: opts.kasAddress,
    project: target.projectPath,
    agent: target.agentName,
    method: g.delivery.method,
    namespace: target.namespace,
    createNamespace: target.createNamespace ? undefined : false,
    imageTag: settings.image.tag,
    imageRepository: settings.image.repository,
    ...g.delivery.answers(g.plan, c?.delivery?.state),
    httpProxy: proxy.httpProxy,
    httpsProxy: proxy.httpsProxy,
    noProxy: proxy.noProxy,
    kasCaCert: settings.kasCa?.path,
    allowExpiredCa: g.ca?.expired || undefined,
    serviceAccount: settings.serviceAccount,
    existingRole: rbac.mode === 'existing-role' ? rbac.role : undefined,
    noRbac: rbac.mode === 'none' || undefined,
    containerScanning:
      opts.containerScanning === false && rbac.mode !== 'none' && settings.serviceAccount === undefined ? false : undefined,
    ...advancedAnswers(settings.advanced),
    tokenSecret: settings.tokenSecret.own ? settings.tokenSecret.name : undefined,
    revokeToken: c?.token?.revokeTokenId !== undefined ? String(c.token.revokeTokenId) : undefined,
    createConfig: settings.createConfig === 'none' ? undefined : settings.createConfig,
    valuesOut: opts.valuesOut,
    exportDir: opts.exportDir,
    exportFormat: opts.exportFormat,
    helmLog: opts.helmLog,
    cleanupOnFailure: opts.cleanupOnFailure,
    dryRun: opts.dryRun,
    timeoutMs: opts.timeoutMs,
    connectTimeoutMs: opts.connectTimeoutMs,
  };
}

const resourceText = (r: ResourceList | undefined) =>
  r
    ? Object.entries(r)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')
    : undefined;
const pairTexts = (m: Record<string, string>) => Object.entries(m).map(([k, v]) => `${k}=${v}`);

/** The advanced options as the flags that give them (the flags --replicas … read back into the same settings). */
function advancedAnswers(a: AdvancedSettings | undefined): Partial<OptionValues> {
  if (!a) return {};
  return {
    replicas: a.replicas !== undefined ? String(a.replicas) : undefined,
    requests: resourceText(a.requests),
    limits: resourceText(a.limits),
    nodeSelector: pairTexts(a.nodeSelector),
    toleration: a.tolerations.map((t) => `${t.key}${t.operator === 'Equal' ? `=${t.value ?? ''}` : ''}:${t.effect}`),
    priorityClass: a.priorityClassName,
    imagePullSecret: a.imagePullSecrets,
    podLabel: pairTexts(a.podLabels),
    podAnnotation: pairTexts(a.podAnnotations),
    kasHeader: a.kasHeaders,
    kasTlsServerName: a.kasTlsServerName,
  };
}

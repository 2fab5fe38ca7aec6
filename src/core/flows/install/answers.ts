import type { OptionValues } from '../../options/values.js';
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
    containerScanning: opts.containerScanning === false && rbac.mode !== 'none' && settings.serviceAccount === undefined ? false : undefined,
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

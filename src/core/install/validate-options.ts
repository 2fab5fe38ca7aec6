import { UsageError } from '../errors.js';
import { agentNameProblem, namespaceProblem, releaseNameProblem, secretNameProblem } from '../plan/names.js';
import { kasAddressProblem, parseGitLabUrl, proxyUrlProblem } from '../plan/urls.js';
import { tokenBearingSet } from '../plan/helm-values.js';
import { CREATE_CONFIG_CHOICES, type InstallOptions } from './options.js';

function check(flag: string, problem: string | undefined, fix: string): void {
  if (problem) throw new UsageError(flag, problem, fix);
}

/**
 * Pure checks of everything given on the command line, run before any network call,
 * so bad input fails in milliseconds with the flag named and nothing created.
 */
export function validateInstallOptions(o: InstallOptions): void {
  if (o.agent !== undefined) check('--agent', agentNameProblem(o.agent), 'use lowercase letters, digits and "-", at most 63');
  if (o.namespace !== undefined) check('--namespace', namespaceProblem(o.namespace), 'use a valid namespace name');
  if (o.release !== undefined) check('--release', releaseNameProblem(o.release), 'use lowercase letters, digits and "-", at most 53');
  if (o.tokenSecret !== undefined) check('--token-secret', secretNameProblem(o.tokenSecret), 'name an existing Secret');
  if (o.gitlabUrl !== undefined) {
    const parsed = parseGitLabUrl(o.gitlabUrl);
    if ('problem' in parsed) throw new UsageError('--gitlab-url', parsed.problem, 'e.g. https://gitlab.example.com');
  }
  if (o.kasAddress !== undefined) check('--kas-address', kasAddressProblem(o.kasAddress), 'e.g. wss://gitlab.example.com/-/kubernetes-agent/');
  if (o.httpProxy !== undefined) check('--http-proxy', proxyUrlProblem(o.httpProxy), 'e.g. http://proxy.example.com:3128');
  if (o.httpsProxy !== undefined) check('--https-proxy', proxyUrlProblem(o.httpsProxy), 'e.g. http://proxy.example.com:3128');
  if (o.method !== undefined && o.method !== 'helm' && o.method !== 'advanced') {
    throw new UsageError('--method', `unknown method "${o.method}"`, 'use helm or advanced');
  }
  if (o.method === 'advanced') {
    throw new UsageError('--method', 'the advanced (manifest) install is not available in this version yet', 'use --method helm');
  }
  if (o.chart !== undefined && o.chartRepo !== undefined) {
    throw new UsageError('--chart', '--chart and --chart-repo exclude each other', 'pass one of them');
  }
  if (o.existingRole !== undefined && o.noRbac) {
    throw new UsageError('--existing-role', '--existing-role and --no-rbac exclude each other', 'pass one of them');
  }
  if (o.createConfig !== undefined && !(CREATE_CONFIG_CHOICES as readonly string[]).includes(o.createConfig)) {
    throw new UsageError('--create-config', `unknown value "${o.createConfig}"`, `use one of ${CREATE_CONFIG_CHOICES.join(', ')}`);
  }
  for (const [flag, sets] of [['--set', o.set], ['--set-string', o.setString ?? []]] as const) {
    for (const set of sets) {
      if (!set.includes('=')) throw new UsageError(flag, `"${set}" is not key=value`, `e.g. ${flag} replicas=1`);
      if (tokenBearingSet(set)) {
        throw new UsageError(flag, 'a token must not go into helm values (they are stored in the release)', 'let the tool create the token Secret, or pass --token-secret');
      }
    }
  }
  if (o.revokeToken !== undefined && !/^\d+$/.test(o.revokeToken)) {
    throw new UsageError('--revoke-token', `"${o.revokeToken}" is not a token id`, 'pass the numeric id of the token to revoke');
  }
  if (!Number.isFinite(o.timeoutMs) || o.timeoutMs <= 0) throw new UsageError('--timeout', 'must be a positive duration', 'e.g. --timeout 5m');
}

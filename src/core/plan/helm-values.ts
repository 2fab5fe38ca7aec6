import { stringify } from 'yaml';
import type { InstallPlan } from './install-plan.js';

type Values = Record<string, unknown>;

/**
 * The chart values for a plan. The token never appears here: the chart reads it from
 * config.secretName, a Secret we create through the Kubernetes API.
 */
export function buildHelmValues(plan: InstallPlan): Values {
  const config: Values = { kasAddress: plan.kasAddress, secretName: plan.tokenSecretName };
  if (plan.kasCaCertPem) config.kasCaCert = plan.kasCaCertPem;

  const values: Values = { config };
  const image: Values = {};
  if (plan.imageTag) image.tag = plan.imageTag;
  if (plan.imageRepository) image.repository = plan.imageRepository;
  if (Object.keys(image).length > 0) values.image = image;

  const env: { name: string; value: string }[] = [];
  if (plan.proxy.httpProxy) env.push({ name: 'HTTP_PROXY', value: plan.proxy.httpProxy });
  if (plan.proxy.httpsProxy) env.push({ name: 'HTTPS_PROXY', value: plan.proxy.httpsProxy });
  if (plan.proxy.noProxy) env.push({ name: 'NO_PROXY', value: plan.proxy.noProxy });
  if (env.length > 0) values.extraEnv = env;

  if (plan.rbac.mode === 'existing-role') values.rbac = { create: true, useExistingRole: plan.rbac.role };
  if (plan.rbac.mode === 'none') values.rbac = { create: false };
  if (plan.serviceAccount) values.serviceAccount = { create: false, name: plan.serviceAccount };
  return values;
}

export function helmValuesYaml(plan: InstallPlan): string {
  return stringify(buildHelmValues(plan), { lineWidth: 0 });
}

/** --set keys that would put a token into helm's values and release history. */
export function tokenBearingSet(set: string): boolean {
  const key = set.split('=')[0]?.trim() ?? '';
  return /^(config\.)?token$/i.test(key);
}

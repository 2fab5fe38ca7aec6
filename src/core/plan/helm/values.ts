import { stringify } from 'yaml';
import type { AgentSettings } from '../agent-settings.js';

type Values = Record<string, unknown>;

/**
 * The chart values for the agent's settings. The token never appears here: the chart reads it from
 * config.secretName, a Secret we create through the Kubernetes API.
 */
export function buildHelmValues(settings: AgentSettings): Values {
  const config: Values = { kasAddress: settings.kasAddress, secretName: settings.tokenSecret.name };
  if (settings.kasCa) config.kasCaCert = settings.kasCa.pem;
  // Charts before 2.10 only drop some OCS objects on `disabled`; newer ones read `enabled`.
  if (!settings.containerScanning) config.operational_container_scanning = { enabled: false, disabled: true };

  const values: Values = { config };
  const image: Values = {};
  if (settings.image.tag) image.tag = settings.image.tag;
  if (settings.image.repository) image.repository = settings.image.repository;
  if (Object.keys(image).length > 0) values.image = image;

  const env: { name: string; value: string }[] = [];
  const { proxy } = settings;
  if (proxy.httpProxy) env.push({ name: 'HTTP_PROXY', value: proxy.httpProxy });
  if (proxy.httpsProxy) env.push({ name: 'HTTPS_PROXY', value: proxy.httpsProxy });
  if (proxy.noProxy) env.push({ name: 'NO_PROXY', value: proxy.noProxy });
  if (env.length > 0) values.extraEnv = env;

  if (settings.rbac.mode === 'existing-role') values.rbac = { create: true, useExistingRole: settings.rbac.role };
  if (settings.rbac.mode === 'none') values.rbac = { create: false };
  if (settings.serviceAccount) values.serviceAccount = { create: false, name: settings.serviceAccount };
  return values;
}

export function helmValuesYaml(settings: AgentSettings): string {
  return stringify(buildHelmValues(settings), { lineWidth: 0 });
}

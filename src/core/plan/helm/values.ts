import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { advancedValues } from '../advanced-options.js';
import type { AgentSettings } from '../agent-settings.js';
import { POD_KAS_CA_ANNOTATION, POD_TOKEN_ID_ANNOTATION } from '../ownership.js';
import { SECURE_CONTAINER_SECURITY_CONTEXT, SECURE_POD_SECURITY_CONTEXT } from '../secure-defaults.js';

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

  const advanced = settings.advanced;
  if (advanced && advanced.kasHeaders.length > 0) config.kasHeaders = advanced.kasHeaders;

  const values: Values = { config, ...(advanced ? advancedValues(advanced) : {}) };
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
  if (settings.secureDefaults) {
    values.podSecurityContext = SECURE_POD_SECURITY_CONTEXT;
    values.securityContext = SECURE_CONTAINER_SECURITY_CONTEXT;
  }
  // The user's pod annotations, then ours: a rollout annotation must stay ours to mean anything.
  const annotations = { ...advanced?.podAnnotations, ...rolloutAnnotations(settings) };
  if (Object.keys(annotations).length > 0) values.podAnnotations = annotations;
  return values;
}

/**
 * Pod-template annotations that change with what agentk reads only at start: a new token in the same
 * Secret, or a new CA in the chart's ConfigMap, then rolls the pods (the chart checksums neither).
 */
export function rolloutAnnotations(settings: Pick<AgentSettings, 'kasCa' | 'rollout'>): Record<string, string> {
  const out: Record<string, string> = {};
  if (settings.rollout?.tokenId !== undefined) out[POD_TOKEN_ID_ANNOTATION] = String(settings.rollout.tokenId);
  if (settings.kasCa) out[POD_KAS_CA_ANNOTATION] = createHash('sha256').update(settings.kasCa.pem).digest('hex');
  return out;
}

export function helmValuesYaml(settings: AgentSettings): string {
  return stringify(buildHelmValues(settings), { lineWidth: 0 });
}

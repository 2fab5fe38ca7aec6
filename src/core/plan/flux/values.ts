import type { AgentSettings } from '../agent-settings.js';
import { buildHelmValues } from '../helm/values.js';
import { SECURE_CONTAINER_SECURITY_CONTEXT, SECURE_POD_SECURITY_CONTEXT } from '../secure-defaults.js';

/** The chart values a HelmRelease (or a Terraform helm_release) carries: the Helm delivery's, plus the hardening the chart leaves out. */
export function fluxValues(settings: AgentSettings): Record<string, unknown> {
  return { ...buildHelmValues(settings), podSecurityContext: SECURE_POD_SECURITY_CONTEXT, securityContext: SECURE_CONTAINER_SECURITY_CONTEXT };
}

import type { AgentSettings } from '../agent-settings.js';
import { buildHelmValues } from '../helm/values.js';

/** The chart values a HelmRelease (or a Terraform helm_release) carries: the Helm delivery's, hardening included. */
export function fluxValues(settings: AgentSettings): Record<string, unknown> {
  return buildHelmValues(settings);
}

import { runChecks, summarize, type Check, type Diagnosis } from './check.js';
import type { Evidence } from './evidence.js';
import { AGENTK_LOG_CHECKS } from './rules/agentk-logs.js';
import { CONNECTION_CHECKS, netAddress } from './rules/connection.js';
import { FLUX_CHECKS } from './rules/flux.js';
import { GITLAB_CHECKS } from './rules/gitlab.js';
import { KAS_TLS_CHECKS } from './rules/kas-tls.js';
import { WORKLOAD_CHECKS } from './rules/workload.js';

/**
 * Every check, in causal order: GitLab → Flux → workload → connection. Within the connection layer the
 * Deployment/metadata comparison comes first (it names the fix), then agentk's own log lines, then what this
 * machine verified.
 */
export const CATALOGUE: readonly Check[] = [
  ...GITLAB_CHECKS,
  ...FLUX_CHECKS,
  ...WORKLOAD_CHECKS,
  netAddress,
  ...AGENTK_LOG_CHECKS,
  ...CONNECTION_CHECKS.filter((c) => c !== netAddress && c.id !== 'NET-UPGRADE' && c.id !== 'NET-PROXY' && c.id !== 'NET-VERSION'),
  ...KAS_TLS_CHECKS,
  ...CONNECTION_CHECKS.filter((c) => c.id === 'NET-UPGRADE' || c.id === 'NET-PROXY' || c.id === 'NET-VERSION'),
];

/** The whole diagnosis of one install. */
export function diagnose(evidence: Evidence, checks: readonly Check[] = CATALOGUE): Diagnosis {
  return summarize(runChecks(checks, evidence));
}

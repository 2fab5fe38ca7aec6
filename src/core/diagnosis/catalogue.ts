import { runChecks, summarize, type Check, type Diagnosis } from './check.js';
import type { Evidence } from './evidence.js';
import { agkLogs } from './rules/agentk-logs.js';
import { netAddress, netDns, netProxy, netTcp, netUpgrade, netVersion } from './rules/connection.js';
import { FLUX_CHECKS } from './rules/flux.js';
import { GITLAB_CHECKS } from './rules/gitlab.js';
import { netTls } from './rules/kas-tls.js';
import { WORKLOAD_CHECKS } from './rules/workload.js';

/**
 * Every check, in causal order: GitLab → Flux → workload → connection. Within the connection layer the
 * Deployment/metadata comparison comes first (it names the fix), then agentk's own log lines, then what this
 * machine verified, then the proxy environment and the version window.
 */
export const CATALOGUE: readonly Check[] = [
  ...GITLAB_CHECKS,
  ...FLUX_CHECKS,
  ...WORKLOAD_CHECKS,
  netAddress,
  agkLogs,
  netDns,
  netTcp,
  netTls,
  netUpgrade,
  netProxy,
  netVersion,
];

/** The whole diagnosis of one install. */
export function diagnose(evidence: Evidence, checks: readonly Check[] = CATALOGUE): Diagnosis {
  return summarize(runChecks(checks, evidence));
}

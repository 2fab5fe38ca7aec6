import type { AgentInstall } from '../../discovery/agent-install.js';

export interface PodHealth {
  healthy: boolean;
  /** e.g. "2/2 Ready", "0/2 Ready · helm failed", "no Deployment". */
  text: string;
}

/** The cluster side of an install's health: every desired replica Ready and helm's last revision deployed. */
export function podHealth(i: AgentInstall): PodHealth {
  const parts: string[] = [];
  let healthy = true;
  if (!i.deployment) {
    parts.push('no Deployment');
    healthy = false;
  } else {
    parts.push(`${i.deployment.ready}/${i.deployment.desired} Ready`);
    if (i.deployment.desired === 0 || i.deployment.ready < i.deployment.desired) healthy = false;
  }
  if (i.releaseStatus && i.releaseStatus !== 'deployed') {
    parts.push(`helm ${i.releaseStatus}`);
    healthy = false;
  }
  return { healthy, text: parts.join(' · ') };
}

/** "gitlab-agent-prod/prod", how installs are named in questions and tables. */
export function installName(i: Pick<AgentInstall, 'namespace' | 'release' | 'deployment'>): string {
  return `${i.namespace}/${i.release ?? i.deployment?.name ?? '?'}`;
}

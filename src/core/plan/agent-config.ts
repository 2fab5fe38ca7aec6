import { stringify } from 'yaml';
import type { CreateConfigChoice } from './choices.js';

export function agentConfigPath(agentName: string): string {
  return `.gitlab/agents/${agentName}/config.yaml`;
}

/** The optional .gitlab/agents/<name>/config.yaml, authorising only this project. */
export function agentConfigContent(kind: CreateConfigChoice, projectPath: string): string {
  const header = '# Agent configuration: https://docs.gitlab.com/user/clusters/agent/work_with_agent/\n';
  if (kind === 'ci-access') return header + stringify({ ci_access: { projects: [{ id: projectPath }] } });
  if (kind === 'user-access') return header + stringify({ user_access: { access_as: { agent: {} }, projects: [{ id: projectPath }] } });
  return header;
}

import type { AgentInstall } from '../../discovery/agent-install.js';
import { FlowError, UsageError } from '../../kernel/errors.js';
import type { FlowIO } from '../../kernel/io.js';
import { GitLabApiError, type GitLabClient } from '../../ports/gitlab.js';
import type { Ports } from '../../ports/index.js';
import { connectGitLab, TokenRefusedError, type GitLabSession } from '../../steps/target/connect-gitlab.js';
import type { GitLabReadings } from './readings.js';

/** GitLab as far as it answered, or why it was not asked (no token given: its checks skip). */
export type GitLabLook = { readings: GitLabReadings; session?: GitLabSession } | { notAsked: string };

/**
 * Signs in like every command (flag, GITLAB_URL/GITLAB_HOST, glab's host; GITLAB_TOKEN or glab's token,
 * asked for in an interactive run). A refused token or an unreachable GitLab is evidence, not a failure.
 */
export async function connectForDiagnosis(
  flagUrl: string | undefined,
  install: AgentInstall,
  caPem: string | undefined,
  ports: Ports,
  io: FlowIO,
): Promise<GitLabLook> {
  const url = flagUrl ?? install.token?.registration?.gitlabUrl;
  try {
    const session = await connectGitLab(url, caPem, ports, io, true);
    return { session, readings: { url: session.client.url, user: { state: 'valid' }, metadata: session.metadata } };
  } catch (err) {
    const where = url ?? 'GitLab';
    if (err instanceof TokenRefusedError) {
      const scope = /scope/i.test(err.message);
      return { readings: { url: where, user: { state: scope ? 'insufficient-scope' : 'unauthorized', message: err.message } } };
    }
    if (err instanceof FlowError && err.step === 'gitlab') {
      if (/^cannot reach /.test(err.message)) return { readings: { url: where, unreachable: { error: err.message } } };
      return { readings: { url: where, metadataError: err.message } };
    }
    if (err instanceof UsageError) return { notAsked: err.line() };
    throw err;
  }
}

const notFound = (err: unknown) => err instanceof GitLabApiError && (err.status === 404 || err.status === 403);

/**
 * The agent's side in GitLab: its project, its registration, the Secret's token (by the token-id
 * annotation) and the agent config file on the default branch. Read-only; a failed call is noted and
 * its field left out.
 */
export async function lookUpAgent(
  client: GitLabClient,
  install: AgentInstall,
  projectOption: string | undefined,
  tokenId: number | null | undefined,
  notes: string[],
): Promise<Pick<GitLabReadings, 'agent' | 'agentToken' | 'configFile'>> {
  const reg = install.token?.registration;
  const wanted = reg?.projectId !== undefined ? String(reg.projectId) : (reg?.projectPath ?? projectOption);
  const name = install.token?.agentName ?? install.release;
  if (wanted === undefined || name === undefined) {
    notes.push('GitLab agent not looked up: its project is unknown (pass --project)');
    return {};
  }
  try {
    const project = await client.project(wanted).catch((err: unknown) => {
      if (notFound(err)) return null;
      throw err;
    });
    const projectPath = project?.pathWithNamespace ?? reg?.projectPath ?? wanted;
    if (!project) return { agent: { projectPath, name, project: null } };
    const agents = await client.listAgents(project.id);
    const agent = agents.find((a) => a.name === name);
    const out: Pick<GitLabReadings, 'agent' | 'agentToken' | 'configFile'> = { agent: { projectPath, name, project, agents } };
    const ref = project.defaultBranch ?? 'main';
    const path = `.gitlab/agents/${name}/config.yaml`;
    const [token, active, file] = await Promise.all([
      agent && typeof tokenId === 'number'
        ? client.getToken(project.id, agent.id, tokenId).then((t) => t ?? null)
        : Promise.resolve(undefined),
      agent ? client.listTokens(project.id, agent.id).catch(() => undefined) : Promise.resolve(undefined),
      client.getFile(project.id, path, ref).catch((err: unknown) => {
        notes.push(`agent config file not read: ${(err as Error).message}`);
        return false as const;
      }),
    ]);
    if (agent && tokenId !== undefined)
      out.agentToken = { tokenId, ...(token !== undefined ? { token } : {}), ...(active ? { active } : {}) };
    if (file !== false) out.configFile = { path, ref, text: file ?? null };
    return out;
  } catch (err) {
    notes.push(`GitLab agent lookup failed: ${(err as Error).message}`);
    return {};
  }
}

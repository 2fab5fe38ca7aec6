import { agentEntity, agentTokenBasicEntity, agentTokenEntity, agentTokenWithTokenEntity } from '../entities.js';
import { created, fail, noContent, ok, paginate } from '../http.js';
import type { Route, RouteContext } from '../router.js';
import { Access, type FakeAgent, type FakeProject } from '../types.js';
import { userProject } from './projects.js';

/** lib/api/clusters/agents.rb + agent_tokens.rb, with the checks in the same order. */

const NAME_FORMAT = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NAME_FORMAT_MESSAGE = "Name can contain only lowercase letters, digits, and '-', but cannot start or end with '-'";
const ACTIVE_TOKENS_LIMIT = 2;

/** :read_cluster is Developer+, :create_cluster and :admin_cluster are Maintainer+. */
function canRead(ctx: RouteContext, project: FakeProject): boolean {
  return ctx.state.accessLevel(project, ctx.caller.user) >= Access.developer;
}

export function authorizeMaintainer(ctx: RouteContext, project: FakeProject): void {
  if (ctx.state.accessLevel(project, ctx.caller.user) < Access.maintainer) throw fail.forbidden();
}

/** :admin_pipeline: Maintainer+, and only while CI/CD and the repository are enabled (ProjectPolicy). */
export function canAdminPipeline(ctx: RouteContext, project: FakeProject): boolean {
  return project.buildsEnabled && project.repositoryEnabled && ctx.state.accessLevel(project, ctx.caller.user) >= Access.maintainer;
}

/** AgentsFinder#find: none for callers without :read_cluster, so RecordNotFound. */
export function findAgent(ctx: RouteContext, project: FakeProject, agentId: number): FakeAgent {
  const agent = ctx.state.agents.get(agentId);
  if (!canRead(ctx, project) || !agent || agent.projectId !== project.id) throw fail.recordNotFound();
  return agent;
}

/** Clusters::Agent validations, in Rails order, as full messages. */
function agentNameErrors(ctx: RouteContext, project: FakeProject, name: string): string[] {
  const errors: string[] = [];
  if (name.trim() === '') errors.push("Name can't be blank");
  if (name.length > 63) errors.push('Name is too long (maximum is 63 characters)');
  if (ctx.state.agentsOf(project).some((a) => a.name === name)) errors.push('Name has already been taken');
  if (!NAME_FORMAT.test(name)) errors.push(NAME_FORMAT_MESSAGE);
  return errors;
}

export const agentRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/projects/:id/cluster_agents',
    handle: (ctx) => {
      const project = userProject(ctx);
      if (!canRead(ctx, project)) throw fail.notFound('ClusterAgents');
      const { page, headers } = paginate(ctx.state.agentsOf(project), ctx.url);
      return ok(
        page.map((a) => agentEntity(ctx.state, a)),
        headers,
      );
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/cluster_agents/:agent_id',
    handle: (ctx) => {
      const agentId = ctx.integer('agent_id');
      return ok(agentEntity(ctx.state, findAgent(ctx, userProject(ctx), agentId)));
    },
  },
  {
    method: 'POST',
    pattern: '/projects/:id/cluster_agents',
    handle: (ctx) => {
      ctx.require('name');
      const project = userProject(ctx);
      authorizeMaintainer(ctx, project);
      // Clusters::Agents::CreateService checks :admin_pipeline too (create_service.rb).
      if (!canAdminPipeline(ctx, project)) {
        throw fail.badRequest('You have insufficient permissions to create a cluster agent for this project');
      }
      const name = ctx.string('name') ?? '';
      const errors = agentNameErrors(ctx, project, name);
      if (errors.length > 0) throw fail.badRequest(errors);
      return created(agentEntity(ctx.state, ctx.state.addAgent(project, name, ctx.caller.user)));
    },
  },
  {
    method: 'DELETE',
    pattern: '/projects/:id/cluster_agents/:agent_id',
    handle: (ctx) => {
      const agentId = ctx.integer('agent_id');
      const project = userProject(ctx);
      authorizeMaintainer(ctx, project);
      ctx.state.deleteAgent(findAgent(ctx, project, agentId));
      return noContent();
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/cluster_agents/:agent_id/tokens',
    handle: (ctx) => {
      const agentId = ctx.integer('agent_id');
      const agent = findAgent(ctx, userProject(ctx), agentId);
      // order_last_used_at_desc, nulls last; the list entity has no last_used_at.
      const tokens = ctx.state.activeTokens(agent).sort((a, b) => (b.lastUsedAt ?? '').localeCompare(a.lastUsedAt ?? '') || a.id - b.id);
      const { page, headers } = paginate(tokens, ctx.url);
      return ok(page.map(agentTokenBasicEntity), headers);
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/cluster_agents/:agent_id/tokens/:token_id',
    handle: (ctx) => {
      const agentId = ctx.integer('agent_id');
      const tokenId = ctx.integer('token_id');
      const agent = findAgent(ctx, userProject(ctx), agentId);
      const token = ctx.state.agentTokens.get(tokenId);
      if (!token || token.agentId !== agent.id || token.status !== 'active') throw fail.recordNotFound();
      return ok(agentTokenEntity(token));
    },
  },
  {
    method: 'POST',
    pattern: '/projects/:id/cluster_agents/:agent_id/tokens',
    handle: (ctx) => {
      const agentId = ctx.integer('agent_id');
      ctx.require('name');
      const project = userProject(ctx);
      authorizeMaintainer(ctx, project);
      const agent = findAgent(ctx, project, agentId);
      // Behind a feature flag in 16.1, on by default since 16.2: older GitLab takes any number.
      if (ctx.state.atLeast(16, 2) && ctx.state.activeTokens(agent).length >= ACTIVE_TOKENS_LIMIT) {
        throw fail.badRequest('An agent can have only two active tokens at a time');
      }
      const name = ctx.string('name') ?? '';
      const description = ctx.string('description') ?? null;
      const errors = [
        ...(name.trim() === '' ? ["Name can't be blank"] : []),
        ...(name.length > 255 ? ['Name is too long (maximum is 255 characters)'] : []),
        ...((description?.length ?? 0) > 1024 ? ['Description is too long (maximum is 1024 characters)'] : []),
      ];
      if (errors.length > 0) throw fail.badRequest(errors);
      const token = ctx.state.addAgentToken(agent, { name, description, createdBy: ctx.caller.user });
      return created(agentTokenWithTokenEntity(token));
    },
  },
  {
    method: 'DELETE',
    pattern: '/projects/:id/cluster_agents/:agent_id/tokens/:token_id',
    handle: (ctx) => {
      const agentId = ctx.integer('agent_id');
      const tokenId = ctx.integer('token_id');
      const project = userProject(ctx);
      authorizeMaintainer(ctx, project);
      const agent = findAgent(ctx, project, agentId);
      const token = ctx.state.agentTokens.get(tokenId);
      if (!token || token.agentId !== agent.id) throw fail.recordNotFound();
      ctx.state.revokeAgentToken(token);
      return noContent();
    },
  },
];

import { X509Certificate } from 'node:crypto';
import { urlConfigurationEntity } from '../entities.js';
import { created, fail, noContent, ok } from '../http.js';
import type { Route, RouteContext } from '../router.js';
import type { FakeAgent, FakeUrlConfiguration } from '../types.js';
import { authorizeMaintainer, canAdminPipeline, findAgent } from './agents.js';
import { userProject } from './projects.js';

/**
 * Receptive agents' URL configurations (lib/api/clusters/agent_url_configurations.rb, 17.4+):
 * the whole API is 404 unless receptive_cluster_agents_enabled (Ultimate, self-managed), checked
 * right after authentication. One configuration per agent; certificates travel Base64-encoded.
 */

const BASE = '/projects/:id/cluster_agents/:agent_id/url_configurations';

/** `before { not_found! unless receptive_cluster_agents_enabled }`: bare "404 Not Found". */
function requireReceptiveAgents(ctx: RouteContext): void {
  if (!ctx.state.receptiveAgentsEnabled()) throw fail.notFound();
}

/** GET/DELETE: :admin_cluster (Maintainer), then the agent. */
function agentForAdmin(ctx: RouteContext): FakeAgent {
  requireReceptiveAgents(ctx);
  const agentId = ctx.integer('agent_id');
  const project = userProject(ctx);
  authorizeMaintainer(ctx, project);
  return findAgent(ctx, project, agentId);
}

/** find_url_configuration: only the agent's own configuration, by id. */
function configurationOf(ctx: RouteContext, agent: FakeAgent): FakeUrlConfiguration {
  const id = ctx.integer('url_configuration_id');
  const configuration = ctx.state.urlConfigurationOf(agent);
  if (!configuration || configuration.id !== id) throw fail.notFound();
  return configuration;
}

/** Base64.decode64 is lenient, like Buffer's decoder. */
function decoded(ctx: RouteContext, name: string): string | undefined {
  const value = ctx.string(name);
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
}

function isCertificate(pem: string): boolean {
  try {
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
}

/** Clusters::Agents::UrlConfiguration validations, as full messages. */
function validationErrors(input: { url: string; caCert?: string; clientCert?: string; clientKey?: string }): string[] {
  const errors: string[] = [];
  if (!/^grpcs?:\/\/[^/\s]+/.test(input.url)) errors.push('Url is blocked: Only allowed schemes are grpc, grpcs');
  if (input.caCert && !isCertificate(input.caCert)) errors.push('Ca cert must be a valid PEM certificate');
  if (input.clientKey !== undefined) {
    if (!input.clientCert || !isCertificate(input.clientCert)) errors.push('Client cert must be a valid PEM certificate');
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(input.clientKey)) errors.push('Client key must be a valid PEM private key');
  }
  return errors;
}

export const urlConfigurationRoutes: Route[] = [
  {
    method: 'GET',
    pattern: BASE,
    handle: (ctx) => {
      const agent = agentForAdmin(ctx);
      const configuration = ctx.state.urlConfigurationOf(agent);
      return ok(configuration ? [urlConfigurationEntity(configuration)] : []);
    },
  },
  {
    method: 'GET',
    pattern: `${BASE}/:url_configuration_id`,
    handle: (ctx) => ok(urlConfigurationEntity(configurationOf(ctx, agentForAdmin(ctx)))),
  },
  {
    method: 'POST',
    pattern: BASE,
    handle: (ctx) => {
      requireReceptiveAgents(ctx);
      const agentId = ctx.integer('agent_id');
      ctx.require('url');
      const project = userProject(ctx);
      authorizeMaintainer(ctx, project); // :create_cluster
      const agent = findAgent(ctx, project, agentId);
      // CreateUrlConfigurationService, in its order.
      if (!canAdminPipeline(ctx, project)) {
        throw fail.badRequest('You have insufficient permissions to create an url configuration for this agent');
      }
      if (ctx.state.isReceptive(agent)) throw fail.badRequest('URL configuration already exists for this agent');
      const input = {
        url: (ctx.string('url') ?? '').trim(),
        caCert: decoded(ctx, 'ca_cert'),
        clientCert: decoded(ctx, 'client_cert'),
        clientKey: decoded(ctx, 'client_key'),
        tlsHost: ctx.string('tls_host'),
      };
      const errors = validationErrors(input);
      if (errors.length > 0) throw fail.badRequest(errors);
      return created(urlConfigurationEntity(ctx.state.addUrlConfiguration(agent, { ...input, createdBy: ctx.caller.user })));
    },
  },
  {
    method: 'DELETE',
    pattern: `${BASE}/:url_configuration_id`,
    handle: (ctx) => {
      const configuration = configurationOf(ctx, agentForAdmin(ctx));
      ctx.state.urlConfigurations.delete(configuration.id);
      return noContent();
    },
  },
];

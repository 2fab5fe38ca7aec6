import { parseDocument, isMap, isScalar, type YAMLMap } from 'yaml';
import { DOCS } from '../docs.js';
import type { Evidence } from '../evidence.js';
import { defineCheck, notApplicable, ok, problem } from '../make.js';
import { fill } from '../placeholders.js';
import { tokenVolumeOf } from '../deployment-args.js';

/** TLS failures Node reports when it cannot verify a certificate chain. */
const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const PAT_URL = '<gitlab>/-/user_settings/personal_access_tokens';

export const glReach = defineCheck({
  id: 'GL-REACH',
  layer: 'gitlab',
  title: 'GitLab instance reachable',
  dependsOn: [],
  fatal: true,
  run(e, self) {
    const g = e.gitlab;
    if (!g) return [notApplicable(self, 'GitLab was not queried')];
    if (g.reachable.ok) return [ok(self, [`${g.url} answers`])];
    const { code = '', error } = g.reachable;
    const tls = TLS_CODES.has(code) || /certificate|self[- ]signed/i.test(error);
    const dns = code === 'ENOTFOUND' || code === 'EAI_AGAIN' || /getaddrinfo/.test(error);
    return [
      problem(self, {
        suffix: 'UNREACHABLE',
        status: 'fail',
        category: 'gitlab-unreachable',
        title: `GitLab at ${g.url} does not answer`,
        evidence: [error],
        cause: tls
          ? 'GitLab presents a certificate this machine does not trust (a private CA).'
          : dns
            ? "GitLab's host name does not resolve from this machine."
            : 'GitLab cannot be reached from this machine (network, firewall or a wrong URL).',
        fix: tls
          ? fill('gitlab-agent-tui troubleshoot --gitlab-url <gitlab> --gitlab-ca <ca-file>', e.context, { gitlab: g.url })
          : fill('Check the URL and the network: curl -sSI <gitlab>/api/v4/version', e.context, { gitlab: g.url }),
        docsUrl: DOCS.metadataApi,
      }),
    ];
  },
});

export const glToken = defineCheck({
  id: 'GL-TOKEN',
  layer: 'gitlab',
  title: 'GitLab token valid and scoped',
  dependsOn: ['GL-REACH'],
  fatal: true,
  run(e, self) {
    const t = e.gitlab?.token;
    if (!t) return [notApplicable(self, 'the token was not checked')];
    if (t.state === 'missing') return [notApplicable(self, 'no GitLab token given: checks that need the GitLab API are skipped')];
    const gitlab = e.gitlab?.url;
    const evidence = t.message ? [t.message] : [];
    if (t.state === 'unauthorized' || t.state === 'revoked' || t.state === 'expired') {
      const what = t.state === 'unauthorized' ? 'unknown to GitLab' : t.state;
      return [
        problem(self, {
          suffix: 'INVALID',
          status: 'fail',
          category: 'gitlab-token-invalid',
          title: `GitLab rejects the token (${what})`,
          evidence: evidence.length ? evidence : [`401 Unauthorized (${t.state})`],
          cause: `The GitLab token is ${what}, so GitLab answers 401 to every call.`,
          fix: fill(`Create a personal access token with scope api at ${PAT_URL} and pass it as GITLAB_TOKEN`, e.context, { gitlab }),
          docsUrl: DOCS.tokens,
        }),
      ];
    }
    const scopes = t.scopes;
    if (t.state === 'insufficient-scope' || (scopes && !scopes.includes('api') && !scopes.includes('read_api'))) {
      return [
        problem(self, {
          suffix: 'SCOPE',
          status: 'fail',
          category: 'gitlab-token-scope',
          title: 'The GitLab token lacks the api scope',
          evidence: [...evidence, ...(scopes ? [`scopes: ${scopes.join(', ') || '(none)'}`] : ['403 insufficient_scope'])],
          cause: 'The token has neither api nor read_api, so GitLab refuses the agent and project calls (403 insufficient_scope).',
          fix: fill(`Create a personal access token with scope api at ${PAT_URL} and pass it as GITLAB_TOKEN`, e.context, { gitlab }),
          docsUrl: DOCS.tokens,
        }),
      ];
    }
    if (scopes && !scopes.includes('api')) {
      return [
        problem(self, {
          suffix: 'READ-ONLY',
          status: 'warn',
          category: 'gitlab-token-scope',
          title: 'The GitLab token is read-only (read_api)',
          evidence: [`scopes: ${scopes.join(', ')}`],
          cause: 'read_api is enough to diagnose, but a fix that creates an agent token needs scope api.',
          fix: fill(`For fixes, use a personal access token with scope api (${PAT_URL})`, e.context, { gitlab }),
          docsUrl: DOCS.tokens,
        }),
      ];
    }
    return [ok(self, scopes ? [`scopes: ${scopes.join(', ')}`] : [])];
  },
});

export const glMetadata = defineCheck({
  id: 'GL-METADATA',
  layer: 'gitlab',
  title: 'Agent server (KAS) enabled',
  dependsOn: ['GL-TOKEN'],
  fatal: true,
  run(e, self) {
    const g = e.gitlab;
    const m = g?.metadata;
    if (!m) return [notApplicable(self, g?.metadataError ? `GET /metadata failed: ${g.metadataError}` : '/metadata was not read')];
    const facts = [
      `version: ${m.version}`,
      `kas.enabled: ${m.kas.enabled}`,
      `kas.externalUrl: ${m.kas.externalUrl ?? 'null'}`,
      `kas.version: ${m.kas.version ?? 'null'}`,
    ];
    if (!m.kas.enabled) {
      return [
        problem(self, {
          suffix: 'KAS-DISABLED',
          status: 'fail',
          category: 'kas-disabled',
          title: 'The GitLab instance has the agent server (KAS) turned off',
          evidence: facts,
          cause: '/metadata reports kas.enabled: false, so no agent can connect to this instance.',
          fix: "A GitLab administrator enables KAS: gitlab_kas['enable'] = true in /etc/gitlab/gitlab.rb, then sudo gitlab-ctl reconfigure",
          docsUrl: DOCS.kasAdmin,
        }),
      ];
    }
    if (m.kas.version === null) {
      return [
        problem(self, {
          suffix: 'KAS-UNKNOWN',
          status: 'warn',
          category: 'kas-unavailable',
          title: 'GitLab cannot reach its agent server (kas.version is null)',
          evidence: facts,
          cause: 'KAS is enabled, but GitLab could not fetch its version, which usually means GitLab cannot reach KAS.',
          fix: 'A GitLab administrator checks KAS: sudo gitlab-ctl status gitlab-kas; sudo gitlab-ctl tail gitlab-kas',
          docsUrl: DOCS.kasAdmin,
        }),
      ];
    }
    if (!m.kas.externalUrl) {
      return [
        problem(self, {
          suffix: 'KAS-NO-URL',
          status: 'warn',
          category: 'kas-disabled',
          title: 'GitLab advertises no agent server address',
          evidence: facts,
          cause: 'KAS is enabled but kas.externalUrl is empty, so GitLab does not say which address agents should dial.',
          fix: 'A GitLab administrator sets gitlab_kas_external_url in /etc/gitlab/gitlab.rb, then sudo gitlab-ctl reconfigure',
          docsUrl: DOCS.kasAdmin,
        }),
      ];
    }
    return [ok(self, facts)];
  },
});

export const glAgent = defineCheck({
  id: 'GL-AGENT',
  layer: 'gitlab',
  title: 'Agent registered in the project',
  dependsOn: ['GL-TOKEN'],
  fatal: true,
  run(e, self) {
    const a = e.gitlab?.agent;
    if (!a) return [notApplicable(self, 'the agent registration was not looked up')];
    const ctx = { project: a.projectPath, agent: a.name };
    if (!a.projectFound) {
      return [
        problem(self, {
          suffix: 'NO-PROJECT',
          status: 'fail',
          category: 'agent-not-registered',
          title: `Project ${a.projectPath} not found`,
          evidence: [`GET /projects/${encodeURIComponent(a.projectPath)}: 404 Project Not Found`],
          cause: 'The project that should hold the agent does not exist or the token cannot see it.',
          fix: fill('Check the project path, or use a token of a member (Developer or higher) of <project>', e.context, ctx),
          docsUrl: DOCS.agentsApi,
        }),
      ];
    }
    if (a.id === null) {
      return [
        problem(self, {
          suffix: 'NOT-REGISTERED',
          status: 'fail',
          category: 'agent-not-registered',
          title: `No agent "${a.name}" is registered in ${a.projectPath}`,
          evidence: [`GET /projects/${encodeURIComponent(a.projectPath)}/cluster_agents: no agent named "${a.name}"`],
          cause: 'The agent was deleted in GitLab or never registered, so KAS rejects its token.',
          fix: fill('gitlab-agent-tui install --project <project> --agent <agent> --namespace <namespace>', e.context, ctx),
          docsUrl: DOCS.registerAgent,
        }),
      ];
    }
    return [ok(self, [`agent "${a.name}" (id ${a.id}) in ${a.projectPath}`])];
  },
});

const EIGHT_MINUTES = 8 * 60_000;

export const glAgentToken = defineCheck({
  id: 'GL-AGENT-TOKEN',
  layer: 'gitlab',
  title: "The Secret's agent token is active",
  dependsOn: ['GL-AGENT'],
  fatal: false,
  run(e, self) {
    const t = e.gitlab?.agentToken;
    if (!t) return [notApplicable(self, "the Secret's token was not looked up")];
    if (t.tokenId === null)
      return [notApplicable(self, 'the token Secret has no gitlab.com/agent-token-id annotation, so its token cannot be matched')];
    const secret = e.workload?.tokenSecret?.name ?? tokenVolumeOf(e.workload?.deployment)?.secretName;
    const deployment = e.workload?.deployment?.name;
    if (t.state === 'revoked') {
      return [
        problem(self, {
          suffix: 'REVOKED',
          status: 'fail',
          category: 'agent-token-revoked',
          title: `The agent token ${t.tokenId} in the Secret was revoked`,
          evidence: [`GET /projects/:id/cluster_agents/${e.gitlab?.agent?.id ?? ':agent_id'}/tokens/${t.tokenId}: 404 (revoked)`],
          cause:
            'GitLab revoked the token the Secret holds (glab bootstrap revokes the least-recently-used token when an agent has two), so KAS answers Unauthenticated.',
          fix: fill(
            'Create a token for <agent> in GitLab, then kubectl -n <namespace> create secret generic <secret> --from-file=token=<token-file> --dry-run=client -o yaml | kubectl apply -f - && kubectl -n <namespace> rollout restart deployment/<deployment>',
            e.context,
            { secret, deployment },
          ),
          docsUrl: DOCS.agentsApi,
          subject: secret ? { kind: 'Secret', name: secret, namespace: e.context.namespace } : undefined,
        }),
      ];
    }
    const facts = [`token ${t.tokenId}: ${t.state}`];
    if (t.lastUsedAt !== undefined) {
      const seen = t.lastUsedAt === null ? 'never' : t.lastUsedAt;
      facts.push(`last used: ${seen}`);
      const age = t.lastUsedAt ? Date.parse(e.observedAt) - Date.parse(t.lastUsedAt) : Infinity;
      facts.push(
        age <= EIGHT_MINUTES
          ? 'GitLab sees the agent as connected (used in the last 8 minutes)'
          : 'GitLab does not see the agent as connected (not used in the last 8 minutes)',
      );
    }
    if (t.activeTokens !== undefined) facts.push(`active tokens: ${t.activeTokens} of 2`);
    return [ok(self, facts)];
  },
});

/** Top-level keys of the agent config file GitLab documents, and those it removed. */
const CONFIG_KEYS = new Set(['ci_access', 'user_access', 'observability', 'container_scanning', 'remote_development', 'flux']);
const REMOVED_KEYS: Record<string, string> = {
  gitops: 'the agent-side GitOps module was removed in GitLab 17.0 (use Flux)',
  starboard: 'replaced by container_scanning',
  cilium: 'the Cilium integration was removed',
};

export const glConfig = defineCheck({
  id: 'GL-CONFIG',
  layer: 'gitlab',
  title: 'Agent config file parses',
  dependsOn: ['GL-AGENT'],
  fatal: false,
  run(e, self) {
    const f = e.gitlab?.configFile;
    if (!f) return [notApplicable(self, 'the agent config file was not read')];
    if (f.text === null) return [ok(self, [`${f.path} does not exist on ${f.ref}: the agent uses its defaults`])];
    const doc = parseDocument(f.text);
    const fixFile = fill(`Edit ${f.path} on ${f.ref} in <project>`, e.context);
    if (doc.errors.length > 0) {
      return [
        problem(self, {
          suffix: 'INVALID',
          status: 'fail',
          category: 'agent-config-invalid',
          title: `${f.path} is not valid YAML`,
          evidence: doc.errors.map((err) => err.message),
          cause: 'KAS cannot parse the agent config file, so the agent gets no configuration.',
          fix: fixFile,
          docsUrl: DOCS.configFile,
        }),
      ];
    }
    const root = doc.contents;
    if (root === null || (isScalar(root) && (root.value === null || root.value === '')))
      return [ok(self, [`${f.path} is empty: defaults apply`])];
    if (!isMap(root)) {
      return [
        problem(self, {
          suffix: 'INVALID',
          status: 'fail',
          category: 'agent-config-invalid',
          title: `${f.path} is not a mapping`,
          evidence: [f.text.split('\n').slice(0, 3).join('\n')],
          cause: 'The agent config file must be a YAML mapping of keys such as ci_access and user_access.',
          fix: fixFile,
          docsUrl: DOCS.configFile,
        }),
      ];
    }
    const findings = [];
    const keys = (root as YAMLMap).items.map((p) => String(isScalar(p.key) ? p.key.value : p.key));
    for (const key of keys) {
      const removed = REMOVED_KEYS[key];
      if (removed) {
        findings.push(
          problem(self, {
            suffix: `REMOVED-${key.toUpperCase()}`,
            status: 'warn',
            category: 'agent-config-invalid',
            title: `${f.path} uses the removed key ${key}:`,
            evidence: [`${key}:`],
            cause: `${key}: has no effect any more: ${removed}.`,
            fix: `${fixFile}: remove the ${key}: section${key === 'gitops' ? ' and move its manifests to Flux' : ''}`,
            docsUrl: key === 'gitops' ? DOCS.migrateToFlux : DOCS.configFile,
          }),
        );
      } else if (!CONFIG_KEYS.has(key)) {
        findings.push(
          problem(self, {
            suffix: 'UNKNOWN-KEY',
            status: 'warn',
            category: 'agent-config-invalid',
            title: `${f.path} has an unknown key ${key}:`,
            evidence: [`${key}:`],
            cause: `${key} is not a key GitLab documents for the agent config file (a typo?).`,
            fix: `${fixFile}: the keys are ${[...CONFIG_KEYS].join(', ')}`,
            docsUrl: DOCS.configFile,
          }),
        );
      }
    }
    const userAccess = (root as YAMLMap).get('user_access', true);
    if (userAccess !== undefined) {
      const accessAs = isMap(userAccess) ? userAccess.get('access_as', true) : undefined;
      const kinds = isMap(accessAs) ? accessAs.items.map((p) => String(isScalar(p.key) ? p.key.value : p.key)) : [];
      if (!kinds.includes('agent') && !kinds.includes('user')) {
        findings.push(
          problem(self, {
            suffix: 'USER-ACCESS',
            status: 'warn',
            category: 'agent-config-invalid',
            title: 'user_access has no access_as agent or user',
            evidence: [String(userAccess)],
            cause: 'Without user_access.access_as the Dashboard for Kubernetes answers "GitLab Agent Server: Unauthorized".',
            fix: `${fixFile}: user_access: { access_as: { agent: {} }, projects: [{ id: <project> }] }`,
            docsUrl: DOCS.dashboardUnauthorized,
          }),
        );
      }
    }
    return findings.length ? findings : [ok(self, [`${f.path}: ${keys.join(', ')}`])];
  },
});

export const GITLAB_CHECKS = [glReach, glToken, glMetadata, glAgent, glAgentToken, glConfig];

/** The agent is (or is not) connected as GitLab sees it: its token used in the last 8 minutes. Undefined: unknown. */
export function gitlabSeesAgentConnected(e: Evidence): boolean | undefined {
  const t = e.gitlab?.agentToken;
  if (!t || t.state !== 'active' || t.lastUsedAt === undefined) return undefined;
  if (t.lastUsedAt === null) return false;
  return Date.parse(e.observedAt) - Date.parse(t.lastUsedAt) <= EIGHT_MINUTES;
}

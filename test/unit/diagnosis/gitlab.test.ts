import { describe, expect, it } from 'vitest';
import {
  glAgent,
  glAgentToken,
  glConfig,
  glMetadata,
  glReach,
  glToken,
  gitlabSeesAgentConnected,
} from '../../../src/core/diagnosis/rules/gitlab.js';
import { evidence, gitlab, minutesAgo, workload } from './builders.js';

import type { Finding } from '../../../src/core/diagnosis/finding.js';

const first = (fs: Finding[]) => fs[0]!;

describe('GL-REACH', () => {
  it('is ok when GitLab answers, and skips when GitLab was not queried', () => {
    expect(first(glReach.run(evidence({ gitlab: gitlab() })))).toMatchObject({ id: 'GL-REACH', status: 'ok' });
    expect(first(glReach.run(evidence())).status).toBe('skip');
  });
  it('fails on DNS with the error verbatim', () => {
    const f = first(
      glReach.run(
        evidence({ gitlab: gitlab({ reachable: { ok: false, code: 'ENOTFOUND', error: 'getaddrinfo ENOTFOUND gitlab.example.com' } }) }),
      ),
    );
    expect(f).toMatchObject({
      id: 'GL-REACH-UNREACHABLE',
      status: 'fail',
      category: 'gitlab-unreachable',
      evidence: ['getaddrinfo ENOTFOUND gitlab.example.com'],
    });
    expect(f.cause).toContain('does not resolve');
  });
  it('names the private CA fix for a TLS failure', () => {
    const f = glReach.run(
      evidence({
        gitlab: gitlab({
          reachable: { ok: false, code: 'SELF_SIGNED_CERT_IN_CHAIN', error: 'self-signed certificate in certificate chain' },
        }),
      }),
    )[0]!;
    expect(f.fix).toBe('gitlab-agent-tui troubleshoot --gitlab-url https://gitlab.example.com --gitlab-ca <ca-file>');
  });
});

describe('GL-TOKEN', () => {
  it.each([
    ['revoked', 'Token was revoked. You have to re-authorize from the user.'],
    ['expired', 'Token is expired. You can either do re-authorization or token refresh.'],
    ['unauthorized', '401 Unauthorized'],
  ] as const)("fails a %s token with GitLab's words", (state, message) => {
    const f = glToken.run(evidence({ gitlab: gitlab({ token: { state, message } }) }))[0]!;
    expect(f).toMatchObject({ id: 'GL-TOKEN-INVALID', status: 'fail', category: 'gitlab-token-invalid', evidence: [message] });
    expect(f.fix).toContain('https://gitlab.example.com/-/user_settings/personal_access_tokens');
  });
  it('fails insufficient scope (403) and tokens without api/read_api', () => {
    expect(glToken.run(evidence({ gitlab: gitlab({ token: { state: 'insufficient-scope' } }) }))[0]).toMatchObject({
      status: 'fail',
      category: 'gitlab-token-scope',
    });
    expect(glToken.run(evidence({ gitlab: gitlab({ token: { state: 'valid', scopes: ['read_user'] } }) }))[0]).toMatchObject({
      status: 'fail',
      category: 'gitlab-token-scope',
    });
  });
  it('warns for read_api only (diagnosis works, fixes do not), and passes api', () => {
    expect(glToken.run(evidence({ gitlab: gitlab({ token: { state: 'valid', scopes: ['read_api'] } }) }))[0]).toMatchObject({
      status: 'warn',
      category: 'gitlab-token-scope',
    });
    expect(glToken.run(evidence({ gitlab: gitlab() }))[0]).toMatchObject({ status: 'ok' });
    // An OAuth token cannot tell its scopes: not a finding.
    expect(glToken.run(evidence({ gitlab: gitlab({ token: { state: 'valid' } }) }))[0]!.status).toBe('ok');
  });
  it('skips without a token', () => {
    expect(glToken.run(evidence({ gitlab: gitlab({ token: { state: 'missing' } }) }))[0]!.status).toBe('skip');
  });
});

describe('GL-METADATA', () => {
  const meta = (kas: Partial<{ enabled: boolean; externalUrl: string | null; version: string | null }>) =>
    evidence({
      gitlab: gitlab({
        metadata: { version: '18.6.1-ee', kas: { enabled: true, externalUrl: 'wss://kas.example.com', version: '18.6.1', ...kas } },
      }),
    });
  it('fails when KAS is disabled', () => {
    const f = glMetadata.run(meta({ enabled: false, externalUrl: null, version: null }))[0]!;
    expect(f).toMatchObject({ id: 'GL-METADATA-KAS-DISABLED', status: 'fail', category: 'kas-disabled' });
    expect(f.evidence).toContain('kas.enabled: false');
  });
  it('warns when GitLab cannot reach KAS (version null)', () => {
    expect(glMetadata.run(meta({ version: null }))[0]).toMatchObject({ status: 'warn', category: 'kas-unavailable' });
  });
  it('is ok with KAS enabled and reported', () => {
    expect(glMetadata.run(meta({}))[0]).toMatchObject({ id: 'GL-METADATA', status: 'ok' });
  });
  it('skips when /metadata failed, saying why', () => {
    const f = glMetadata.run(evidence({ gitlab: gitlab({ metadata: undefined, metadataError: '403 insufficient_scope' }) }))[0]!;
    expect(f.status).toBe('skip');
    expect(f.evidence[0]).toContain('403 insufficient_scope');
  });
});

describe('GL-AGENT', () => {
  it('fails for an unregistered agent with the install command', () => {
    const f = glAgent.run(
      evidence({ gitlab: gitlab({ agent: { projectPath: 'group/infra', projectFound: true, name: 'prod', id: null } }) }),
    )[0]!;
    expect(f).toMatchObject({ id: 'GL-AGENT-NOT-REGISTERED', status: 'fail', category: 'agent-not-registered' });
    expect(f.fix).toBe('gitlab-agent-tui install --project group/infra --agent prod --namespace gitlab-agent');
  });
  it('fails when the project is invisible', () => {
    expect(
      glAgent.run(evidence({ gitlab: gitlab({ agent: { projectPath: 'group/gone', projectFound: false, name: 'prod', id: null } }) }))[0],
    ).toMatchObject({
      id: 'GL-AGENT-NO-PROJECT',
      category: 'agent-not-registered',
    });
  });
  it('is ok for a registered agent', () => {
    expect(glAgent.run(evidence({ gitlab: gitlab() }))[0]!.status).toBe('ok');
  });
});

describe('GL-AGENT-TOKEN', () => {
  it('fails for a revoked token and names the Secret and a fix without a token value', () => {
    const f = glAgentToken.run(evidence({ gitlab: gitlab({ agentToken: { tokenId: 77, state: 'revoked' } }), workload: workload() }))[0]!;
    expect(f).toMatchObject({
      id: 'GL-AGENT-TOKEN-REVOKED',
      status: 'fail',
      category: 'agent-token-revoked',
      subject: { kind: 'Secret', name: 'gitlab-agent-token' },
    });
    expect(f.fix).toContain('kubectl -n gitlab-agent create secret generic gitlab-agent-token --from-file=token=<token-file>');
    expect(f.fix).toContain('rollout restart deployment/gitlab-agent-v2');
    expect(f.fix).not.toMatch(/glagent-/);
  });
  it('skips without the token-id annotation', () => {
    expect(glAgentToken.run(evidence({ gitlab: gitlab({ agentToken: { tokenId: null, state: 'unknown' } }) }))[0]!.status).toBe('skip');
  });
  it('reports connection freshness as GitLab sees it', () => {
    const fresh = glAgentToken.run(evidence({ gitlab: gitlab() }))[0]!;
    expect(fresh.status).toBe('ok');
    expect(fresh.evidence).toContain('GitLab sees the agent as connected (used in the last 8 minutes)');
    const stale = evidence({ gitlab: gitlab({ agentToken: { tokenId: 77, state: 'active', lastUsedAt: minutesAgo(30) } }) });
    expect(glAgentToken.run(stale)[0]!.evidence).toContain('GitLab does not see the agent as connected (not used in the last 8 minutes)');
    expect(gitlabSeesAgentConnected(stale)).toBe(false);
    expect(gitlabSeesAgentConnected(evidence({ gitlab: gitlab() }))).toBe(true);
    expect(gitlabSeesAgentConnected(evidence({ gitlab: gitlab({ agentToken: { tokenId: 77, state: 'active', lastUsedAt: null } }) }))).toBe(
      false,
    );
    expect(gitlabSeesAgentConnected(evidence())).toBeUndefined();
  });
});

describe('GL-CONFIG', () => {
  const cfg = (text: string | null) =>
    evidence({ gitlab: gitlab({ configFile: { path: '.gitlab/agents/prod/config.yaml', ref: 'main', text } }) });
  it('accepts a missing or empty file and a documented config', () => {
    expect(glConfig.run(cfg(null))[0]!.status).toBe('ok');
    expect(glConfig.run(cfg(''))[0]!.status).toBe('ok');
    expect(glConfig.run(cfg('ci_access:\n  projects:\n    - id: group/app\n'))[0]!.status).toBe('ok');
    expect(glConfig.run(evidence({ gitlab: gitlab() }))[0]!.status).toBe('ok');
  });
  it('fails invalid YAML with the parser message', () => {
    const f = glConfig.run(cfg('user_access:\n  access_as:\n    agent: {}\n   projects: [\n'))[0]!;
    expect(f).toMatchObject({ id: 'GL-CONFIG-INVALID', status: 'fail', category: 'agent-config-invalid' });
    expect(f.evidence.length).toBeGreaterThan(0);
  });
  it('fails a file that is not a mapping', () => {
    expect(glConfig.run(cfg('- ci_access\n- user_access\n'))[0]).toMatchObject({ id: 'GL-CONFIG-INVALID', status: 'fail' });
  });
  it('warns on the removed gitops: key with the Flux migration link', () => {
    const f = glConfig.run(cfg('gitops:\n  manifest_projects:\n    - id: group/manifests\n'))[0]!;
    expect(f).toMatchObject({
      id: 'GL-CONFIG-REMOVED-GITOPS',
      status: 'warn',
      category: 'agent-config-invalid',
      docsUrl: 'https://docs.gitlab.com/user/clusters/agent/gitops/migrate_to_flux/',
    });
  });
  it('warns on an unknown key and on user_access without access_as', () => {
    expect(glConfig.run(cfg('ci_acess:\n  projects: []\n'))[0]).toMatchObject({ id: 'GL-CONFIG-UNKNOWN-KEY', status: 'warn' });
    expect(glConfig.run(cfg('user_access:\n  projects:\n    - id: group/infra\n'))[0]).toMatchObject({
      id: 'GL-CONFIG-USER-ACCESS',
      status: 'warn',
    });
  });
});

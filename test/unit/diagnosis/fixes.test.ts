import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/core/diagnosis/catalogue.js';
import { FIX_KINDS, MECHANICAL, proposeFix, proposeFixes } from '../../../src/core/diagnosis/fixes.js';
import type { Finding } from '../../../src/core/diagnosis/finding.js';
import { deployment, evidence, flux, gitlab, KAS, workload } from './builders.js';

const finding = (category: Finding['category'], over: Partial<Finding> = {}): Finding => ({
  id: 'X',
  layer: 'workload',
  status: 'fail',
  category,
  title: '',
  evidence: [],
  cause: '',
  fix: '',
  docsUrl: '',
  ...over,
});

describe('proposeFix', () => {
  it('re-creates the token Secret (and restarts) for a missing Secret or a revoked token', () => {
    const e = evidence({ workload: workload({ tokenSecret: null }), gitlab: gitlab() });
    expect(proposeFix(finding('token-secret-missing'), e)).toEqual({
      kind: 'recreate-token-secret',
      namespace: 'gitlab-agent',
      secretName: 'gitlab-agent-token',
      projectPath: 'group/infra',
      agentName: 'prod',
      restartDeployment: 'gitlab-agent-v2',
    });
    expect(proposeFix(finding('agent-token-revoked'), e)!.kind).toBe('recreate-token-secret');
  });

  it('only restarts the pods when KAS rejects a token GitLab still lists as active (a rotated Secret)', () => {
    const e = evidence({ workload: workload(), gitlab: gitlab() });
    expect(proposeFix(finding('token-rejected'), e)).toEqual({
      kind: 'restart-pods',
      namespace: 'gitlab-agent',
      deployment: 'gitlab-agent-v2',
    });
    const revoked = evidence({ workload: workload(), gitlab: gitlab({ agentToken: { tokenId: 77, state: 'revoked' } }) });
    expect(proposeFix(finding('token-rejected'), revoked)!.kind).toBe('recreate-token-secret');
  });

  it('upgrades with the CA, naming the issuer to look for', () => {
    const e = evidence({
      workload: workload(),
      local: {
        kasAddress: KAS,
        tls: {
          systemCa: {
            ok: false,
            code: 'SELF_SIGNED_CERT_IN_CHAIN',
            chain: [
              { subject: 'CN=gitlab.example.com', issuer: 'CN=Corp Root' },
              { subject: 'CN=Corp Root', issuer: 'CN=Corp Root' },
            ],
            sans: [],
          },
        },
      },
    });
    expect(proposeFix(finding('kas-tls-untrusted-ca'), e)).toEqual({
      kind: 'upgrade-kas-ca',
      release: 'gitlab-agent',
      namespace: 'gitlab-agent',
      caIssuer: 'CN=Corp Root',
    });
  });

  it('upgrades to the advertised KAS address, or adds the trailing slash', () => {
    const wrong = evidence({
      workload: workload({ deployment: deployment({}, ['--kas-address=wss://gitlab.example.org/-/kubernetes-agent/']) }),
      gitlab: gitlab(),
    });
    expect(proposeFix(finding('kas-address-mismatch'), wrong)).toEqual({
      kind: 'upgrade-kas-address',
      release: 'gitlab-agent',
      namespace: 'gitlab-agent',
      from: 'wss://gitlab.example.org/-/kubernetes-agent/',
      to: KAS,
    });
    const slash = evidence({
      workload: workload({ deployment: deployment({}, ['--kas-address=wss://gitlab.example.com/-/kubernetes-agent']) }),
    });
    expect(proposeFix(finding('kas-redirect'), slash)).toMatchObject({ kind: 'upgrade-kas-address', to: KAS });
    // Nothing to change: no proposal.
    expect(proposeFix(finding('kas-dns'), evidence({ workload: workload(), gitlab: gitlab() }))).toBeUndefined();
  });

  it('upgrades the image tag to the KAS version', () => {
    const d = deployment();
    d.containers[0]!.image = 'registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk:v19.6.0';
    expect(proposeFix(finding('version-skew'), evidence({ workload: workload({ deployment: d }), gitlab: gitlab() }))).toEqual({
      kind: 'upgrade-image-tag',
      release: 'gitlab-agent',
      namespace: 'gitlab-agent',
      from: 'v19.6.0',
      to: 'v18.6.1',
    });
  });

  it('resets the stalled HelmRelease named by the finding, and rolls back a pending release', () => {
    expect(
      proposeFix(
        finding('flux-helmrelease-failed', { subject: { kind: 'HelmRelease', name: 'gitlab-agent', namespace: 'flux-system' } }),
        evidence(),
      ),
    ).toEqual({
      kind: 'reset-helmrelease',
      name: 'gitlab-agent',
      namespace: 'flux-system',
    });
    const pending = evidence({
      workload: workload({
        release: { name: 'gitlab-agent', namespace: 'gitlab-agent', revision: 5, status: 'pending-upgrade', lastGoodRevision: 4 },
      }),
    });
    expect(proposeFix(finding('release-failed'), pending)).toEqual({
      kind: 'rollback-release',
      release: 'gitlab-agent',
      namespace: 'gitlab-agent',
      revision: 4,
    });
    const failed = evidence({
      workload: workload({ release: { name: 'gitlab-agent', namespace: 'gitlab-agent', revision: 5, status: 'failed' } }),
    });
    expect(proposeFix(finding('release-failed'), failed)).toBeUndefined();
  });

  it('proposes nothing for warnings or non-mechanical categories', () => {
    const e = evidence({ workload: workload({ tokenSecret: null }) });
    expect(proposeFix(finding('token-secret-missing', { status: 'warn' }), e)).toBeUndefined();
    expect(proposeFix(finding('unschedulable'), e)).toBeUndefined();
    expect(proposeFix(finding('kas-disabled'), e)).toBeUndefined();
  });

  it('maps only to known kinds', () => {
    for (const kind of Object.values(MECHANICAL)) expect(FIX_KINDS).toContain(kind);
  });
});

describe('proposeFixes on a diagnosis', () => {
  it('offers the root cause fix first, once', () => {
    const e = evidence({
      gitlab: gitlab({ agentToken: { tokenId: 77, state: 'revoked' } }),
      workload: workload(),
      flux: flux({ managed: false }),
    });
    const d = diagnose(e);
    expect(proposeFixes(d.findings, e)).toEqual([
      {
        kind: 'recreate-token-secret',
        namespace: 'gitlab-agent',
        secretName: 'gitlab-agent-token',
        projectPath: 'group/infra',
        agentName: 'prod',
        restartDeployment: 'gitlab-agent-v2',
      },
    ]);
  });
  it('never puts a token into a proposal', () => {
    const e = evidence({ gitlab: gitlab({ agentToken: { tokenId: 77, state: 'revoked' } }), workload: workload({ tokenSecret: null }) });
    expect(JSON.stringify(proposeFixes(diagnose(e).findings, e))).not.toMatch(/glagent-|token":/);
  });
});

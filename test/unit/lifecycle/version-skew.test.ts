import { describe, expect, it } from 'vitest';
import { versionSkew } from '../../../src/core/plan/lifecycle/version-skew.js';

describe('agent version against GitLab (±1 minor)', () => {
  it.each([
    // agent, GitLab, verdict, minors apart
    ['v18.6.0', '18.6.1', 'ok', 0],
    ['v18.6.3', '18.6.0-ee', 'ok', 0],
    ['v18.7.0', '18.6.2', 'ok', 1],
    ['v18.5.1', '18.6.0', 'upgrade-recommended', -1],
    ['v18.4.0', '18.6.0', 'unsupported', -2],
    ['v18.8.0', '18.6.0-ee', 'unsupported', 2],
    ['v17.11.2', '18.0.1', 'upgrade-recommended', -1],
    ['v18.0.0', '17.11.3-ee', 'ok', 1],
    ['v17.10.0', '18.0.0', 'unsupported', -2],
    ['v16.11.0', '18.6.0', 'unsupported', -19],
    // pre-releases compare by major.minor and say so
    ['v18.7.0-rc2', '18.6.0', 'ok', 1],
    ['v18.6.0-rc1', '18.6.0-pre', 'ok', 0],
    // KAS built from a commit
    ['v17.6.2', '17.6.2+abc123def', 'ok', 0],
  ] as const)('%s on GitLab %s is %s', (agent, gitlab, verdict, apart) => {
    const skew = versionSkew(agent, gitlab);
    expect(skew.verdict).toBe(verdict);
    expect(skew.minorsApart).toBe(apart);
  });

  it('names the direction, the GitLab minor and a pre-release in its note', () => {
    expect(versionSkew('v18.5.0', '18.6.1-ee').note).toBe('1 minor behind GitLab 18.6: upgrade recommended');
    expect(versionSkew('v18.9.0', '18.6.1').note).toBe('3 minors ahead of GitLab 18.6: unsupported');
    expect(versionSkew('v18.6.0-rc1', '18.6.1').note).toBe('matches GitLab 18.6 (pre-release)');
    expect(versionSkew('v18.7.0', '18.6.1').note).toContain('(supported)');
  });

  it('is unknown, never a failure, when either version cannot be read', () => {
    expect(versionSkew(undefined, '18.6.0')).toEqual({ verdict: 'unknown', note: 'agent version unknown' });
    expect(versionSkew('latest', '18.6.0').verdict).toBe('unknown');
    expect(versionSkew('v18.6.0', null)).toEqual({ verdict: 'unknown', note: 'GitLab version unknown' });
  });
});

import { describe, expect, it } from 'vitest';
import { kasAddressProblem, kasAddressWarning, parseGitLabUrl } from '../../src/core/plan/urls.js';
import { helmVersionProblem, imageTagSkewWarning, recommendedImageTag } from '../../src/core/plan/versions.js';

describe('GitLab URL', () => {
  it('normalises what people paste', () => {
    expect(parseGitLabUrl('gitlab.example.com')).toEqual({ url: 'https://gitlab.example.com' });
    expect(parseGitLabUrl('https://gitlab.example.com/api/v4/')).toEqual({ url: 'https://gitlab.example.com' });
    expect(parseGitLabUrl('https://example.com/gitlab/')).toEqual({ url: 'https://example.com/gitlab' });
  });
  it('rejects non-http URLs', () => {
    expect(parseGitLabUrl('ftp://x')).toHaveProperty('problem');
    expect(parseGitLabUrl('http://')).toHaveProperty('problem');
  });
});

describe('KAS address', () => {
  it('accepts the four agent schemes only', () => {
    expect(kasAddressProblem('wss://kas.gitlab.com')).toBeUndefined();
    expect(kasAddressProblem('grpcs://kas.example.com')).toBeUndefined();
    expect(kasAddressProblem('https://kas.example.com')).toContain('wss://');
  });
  it('warns about the missing trailing slash that makes agentk get a 301', () => {
    expect(kasAddressWarning('wss://gitlab.example.com/-/kubernetes-agent')).toContain('301');
    expect(kasAddressWarning('wss://gitlab.example.com/-/kubernetes-agent/')).toBeUndefined();
  });
});

describe("image tag: GitLab's install_version_info as /metadata shows it (gitlab-api-real.md §3.4)", () => {
  it('uses the KAS release version, patch included', () => {
    expect(recommendedImageTag('https://gitlab.example.com', { version: '17.6.2-ee', kas: { version: '17.6.2' } })).toBe('v17.6.2');
    expect(recommendedImageTag('https://gitlab.example.com', { version: '18.1.1-ee', kas: { version: '18.2.3' } })).toBe('v18.2.3');
    expect(recommendedImageTag('https://gitlab.example.com', { version: '18.1.1', kas: { version: 'v18.1.1' } })).toBe('v18.1.1');
  });
  it("uses GitLab's major.minor.0 when KAS reports a build from a commit", () => {
    expect(recommendedImageTag('https://gitlab.example.com', { version: '17.6.2-ee', kas: { version: '17.6.2+abc123def456' } })).toBe(
      'v17.6.0',
    );
    expect(recommendedImageTag('https://gitlab.example.com', { version: '18.0.0-pre', kas: { version: '18.0.0-rc1' } })).toBe('v18.0.0');
  });
  it('falls back to the GitLab version when KAS did not answer', () => {
    expect(recommendedImageTag('https://gitlab.example.com', { version: '17.11.4-ee', kas: { version: null } })).toBe('v17.11.0');
  });
  it('leaves the tag to the chart on GitLab.com, like the GitLab UI', () => {
    expect(recommendedImageTag('https://gitlab.com', { version: '19.0.0-pre', kas: { version: '19.0.0' } })).toBeUndefined();
  });
  it('warns outside one minor either side', () => {
    expect(imageTagSkewWarning('v18.5.0', '18.6.1-ee')).toBeUndefined();
    expect(imageTagSkewWarning('v18.7.2', '18.6.1-ee')).toBeUndefined();
    expect(imageTagSkewWarning('v18.4.0', '18.6.1-ee')).toContain('outside');
    expect(imageTagSkewWarning('v17.11.0', '18.6.1')).toContain('outside');
  });
  it('names the minimum helm', () => {
    expect(helmVersionProblem('v3.5.4')).toContain('3.6.0');
    expect(helmVersionProblem('v3.21.4+g813176c')).toBeUndefined();
    expect(helmVersionProblem('v4.2.4')).toBeUndefined();
  });
});

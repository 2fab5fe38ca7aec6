import { describe, expect, it } from 'vitest';
import { agentNameProblem, chartFullname, defaultNamespace, releaseNameProblem } from '../../src/core/plan/names.js';

describe('agent names (RFC 1123 DNS label)', () => {
  it.each(['prod', 'a', 'eu-west-1', 'x'.repeat(63), '0agent9'])('accepts %s', (name) => {
    expect(agentNameProblem(name)).toBeUndefined();
  });
  it.each([
    ['', 'empty'],
    ['Prod', 'lowercase'],
    ['my_agent', 'only lowercase letters'],
    ['-agent', 'start with'],
    ['agent-', 'end with'],
    ['x'.repeat(64), 'at most 63'],
    ['a.b', 'only lowercase letters'],
  ])('rejects %j with a reason', (name, reason) => {
    expect(agentNameProblem(name)).toContain(reason);
  });
});

describe('defaults', () => {
  it('namespace follows the GitLab UI: gitlab-agent-<name cut to 50>, still a valid label', () => {
    expect(defaultNamespace('prod')).toBe('gitlab-agent-prod');
    const long = `${'a'.repeat(49)}-b`;
    expect(defaultNamespace(long)).toBe(`gitlab-agent-${'a'.repeat(49)}`);
  });
  it('chart fullname drops the suffix when the release already says gitlab-agent', () => {
    expect(chartFullname('prod')).toBe('prod-gitlab-agent');
    expect(chartFullname('gitlab-agent')).toBe('gitlab-agent');
  });
  it('release names are limited to 53 characters', () => {
    expect(releaseNameProblem('r'.repeat(54))).toContain('53');
  });
});

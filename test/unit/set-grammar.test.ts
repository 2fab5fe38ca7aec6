import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/kernel/secret.js';
import { OPTIONS } from '../../src/core/options/catalogue.js';
import { carriesToken, parseSetArgument } from '../../src/core/plan/helm/set-grammar.js';
import { looksLikeGitLabToken } from '../../src/core/plan/secret-shapes.js';

const problem = (set: string) => {
  const p = OPTIONS.set.problem!(set);
  return typeof p === 'string' ? p : p?.message;
};

describe("helm's --set grammar", () => {
  it('reads pairs, dotted keys, escaped dots and commas, list indexes and brace lists as helm does', () => {
    expect(parseSetArgument('replicas=1')).toEqual([{ path: ['replicas'], value: '1' }]);
    expect(parseSetArgument('a.b=1,c=2')).toEqual([
      { path: ['a', 'b'], value: '1' },
      { path: ['c'], value: '2' },
    ]);
    expect(parseSetArgument('podAnnotations.example\\.com/team=infra')).toEqual([
      { path: ['podAnnotations', 'example.com/team'], value: 'infra' },
    ]);
    expect(parseSetArgument('note=a\\,b')).toEqual([{ path: ['note'], value: 'a,b' }]);
    expect(parseSetArgument('extraArgs[0]=--x,tolerations[1].key=k')).toEqual([
      { path: ['extraArgs', 0], value: '--x' },
      { path: ['tolerations', 1, 'key'], value: 'k' },
    ]);
    expect(parseSetArgument('list={a,b},x=1')).toEqual([
      { path: ['list'], value: '{a,b}' },
      { path: ['x'], value: '1' },
    ]);
  });

  it('says what is wrong with an argument that is not key=value', () => {
    expect(parseSetArgument('replicas')).toEqual({ problem: expect.stringContaining('has no value') });
    expect(parseSetArgument('a=1,b')).toEqual({ problem: expect.stringContaining('"b" has no value') });
    expect(parseSetArgument('=1')).toEqual({ problem: expect.stringContaining('empty') });
    expect(parseSetArgument('x[a]=1')).toEqual({ problem: expect.stringContaining('not a number') });
  });

  it('finds the token key wherever it stands', () => {
    expect(carriesToken(['config', 'token'])).toBe(true);
    expect(carriesToken(['CONFIG', 'Token'])).toBe(true);
    expect(carriesToken(['token'])).toBe(true);
    expect(carriesToken(['config', 'secretName'])).toBe(false);
    expect(carriesToken(['podAnnotations', 'token'])).toBe(false);
  });
});

describe('--set refuses a token, by key or by value', () => {
  it.each([
    'config.token=abc',
    'replicas=1,config.token=abc',
    'config\\.x=1,config.token=abc',
    'token=abc',
    'podAnnotations.note=glpat-AbCdEfGhIjKlMnOp1234',
    'extraEnv[0].value=glagent-fake-0123456789abcdef',
    'x=acme-glagent-fake-0123456789abcdef',
  ])('%s', (set) => expect(problem(set)).toContain('a token must not go into helm values'));

  it('refuses a value that is a live secret of this run, however it looks', () => {
    const pat = new Secret('not-shaped-like-a-token-fake-0042');
    expect(problem(`podAnnotations.a=${pat.reveal()}`)).toContain('a token must not go into helm values');
  });

  it.each(['replicas=1', 'podAnnotations.team=infra', 'config.secretName=own', 'image.tag=v18.6.0'])('accepts %s', (set) =>
    expect(problem(set)).toBeUndefined(),
  );

  it('knows GitLab token shapes, and leaves words alone', () => {
    expect(looksLikeGitLabToken('glpat-fakefakefake1234')).toBe(true);
    expect(looksLikeGitLabToken('x gloas-fakefakefake1234')).toBe(true);
    expect(looksLikeGitLabToken('glpat-short')).toBe(false);
    expect(looksLikeGitLabToken('myglpat-fake')).toBe(false);
    expect(looksLikeGitLabToken('gitlab-agent-token')).toBe(false);
  });
});

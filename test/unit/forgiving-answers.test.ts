import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runInstall } from '../../src/core/flows/install/flow.js';
import type { InstallOptions } from '../../src/core/flows/install/options.js';
import type { AnswerOf, Asker, Question } from '../../src/core/kernel/questions.js';
import { GitLabApiError } from '../../src/core/ports/gitlab.js';
import type { Ports } from '../../src/core/ports/index.js';
import { DEMO_CA_PATH } from '../../src/demo/demo-ca.js';
import { createDemoPorts } from '../../src/demo/index.js';
import { fastWorld } from '../support/demo-world.js';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;

/** Answers from a list per question id, in order (then the default); records what each ask said was wrong. */
class SequenceAsker implements Asker {
  readonly asked: { id: string; problem?: string }[] = [];
  constructor(private readonly answers: Record<string, (string | boolean)[]>) {}
  async ask<Q extends Question>(q: Q): Promise<AnswerOf<Q>> {
    this.asked.push({ id: q.id, problem: q.problem });
    const queue = this.answers[q.id];
    const next = queue && queue.length > 0 ? queue.shift() : q.kind === 'secret' ? undefined : q.default;
    if (next === undefined) throw new Error(`unscripted question ${q.id}`);
    return next as AnswerOf<Q>;
  }
  problemsOf(id: string): (string | undefined)[] {
    return this.asked.filter((a) => a.id === id).map((a) => a.problem);
  }
}

const opts = (over: Partial<InstallOptions> = {}): InstallOptions => ({
  values: [],
  set: [],
  dryRun: true,
  timeoutMs: 5_000,
  connectTimeoutMs: 2_000,
  ...over,
});

function run(asker: Asker, over: Partial<InstallOptions> = {}, tune: (p: Ports) => Ports = (p) => p) {
  const world = fastWorld();
  for (const f of ['expired-ca.pem', 'not-a-cert.pem']) world.files.set(fixture(f), readFileSync(fixture(f), 'utf8'));
  const ports = tune(createDemoPorts({ world, env: { GITLAB_TOKEN: 'glpat-fake-test-token' } }));
  return runInstall(opts(over), ports, { asker, emit: () => undefined, signal: new AbortController().signal });
}

describe('an answer a later check refutes is asked again, with the reason', () => {
  it('a project GitLab cannot find', async () => {
    const asker = new SequenceAsker({ project: ['nope/missing', 'demo-group/infrastructure'], agent: ['demo'] });
    const outcome = await run(asker);
    expect(outcome.exitCode).toBe(0);
    expect(asker.problemsOf('project')).toEqual([undefined, 'project "nope/missing" was not found or demo-user cannot see it']);
  });

  it('a KAS CA path that does not exist, then one that is not PEM, then a good one', async () => {
    const asker = new SequenceAsker({
      project: ['demo-group/infrastructure'],
      agent: ['demo'],
      'use-kas-ca': [true],
      'kas-ca-cert': ['/nowhere/ca.pem', fixture('not-a-cert.pem'), DEMO_CA_PATH],
    });
    const outcome = await run(asker);
    expect(outcome.exitCode).toBe(0);
    const problems = asker.problemsOf('kas-ca-cert');
    expect(problems[0]).toBeUndefined();
    expect(problems[1]).toContain('cannot read /nowhere/ca.pem');
    expect(problems[2]).toContain('is not a PEM certificate');
    expect(problems).toHaveLength(3);
  });

  it('an expired KAS CA offers "use it anyway"', async () => {
    const asker = new SequenceAsker({
      project: ['demo-group/infrastructure'],
      agent: ['demo'],
      'use-kas-ca': [true],
      'kas-ca-cert': [fixture('expired-ca.pem')],
      'expired-kas-ca': ['anyway'],
    });
    const outcome = await run(asker);
    expect(outcome.exitCode).toBe(0);
    expect(asker.asked.map((a) => a.id)).toContain('expired-kas-ca');
    expect(outcome.sections?.map((s) => (s.kind === 'code' ? s.text : '')).join('\n')).toContain('helm upgrade');
  });

  it('a token GitLab rejects: another one is asked for, naming where the first came from', async () => {
    const asker = new SequenceAsker({
      'gitlab-token': ['glpat-fake-the-right-one'],
      project: ['demo-group/infrastructure'],
      agent: ['demo'],
    });
    const outcome = await run(asker, {}, (ports) => ({
      ...ports,
      env: { GITLAB_TOKEN: 'glpat-fake-expired-one' },
      gitlab: {
        connect: (c) => {
          const client = ports.gitlab.connect(c);
          if (c.token.reveal() === 'glpat-fake-expired-one')
            client.currentUser = async () => Promise.reject(new GitLabApiError(401, '401 Unauthorized'));
          return client;
        },
      },
    }));
    expect(outcome.exitCode).toBe(0);
    expect(asker.problemsOf('gitlab-token')).toEqual([
      'env GITLAB_TOKEN: https://gitlab.example.com rejected the token (401 Unauthorized)',
    ]);
  });

  it('with nothing telling which GitLab, an interactive run asks, offering the hosts glab knows', async () => {
    const asker = new SequenceAsker({
      'gitlab-url': ['https://gitlab.example.com'],
      project: ['demo-group/infrastructure'],
      agent: ['demo'],
    });
    let offered: string[] = [];
    const ask = asker.ask.bind(asker);
    asker.ask = async (q) => {
      if (q.kind === 'select' && q.id === 'gitlab-url') offered = q.choices.map((c) => c.value);
      return ask(q);
    };
    const outcome = await run(asker, {}, (ports) => ({
      ...ports,
      glab: async () => ({ hosts: ['https://gitlab.example.com'], tokenFor: () => undefined }),
    }));
    expect(outcome.exitCode).toBe(0);
    expect(offered).toEqual(['https://gitlab.com', 'https://gitlab.example.com', 'other']);
  });
});

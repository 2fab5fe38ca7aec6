import { CREATE_CONFIG_CHOICES, METHODS } from '../plan/choices.js';
import { durationProblem, parseDuration } from './duration.js';
import type { OptionSpec } from './option.js';

/** How a run behaves: method, what to commit, waits, dry run, clean-up and output. */
export const runOptions = {
  method: {
    flag: '--method',
    arg: '<method>',
    help: 'helm (default), flux (GitOps bootstrap), advanced (our own manifests) or receptive (GitLab dials the agent)',
    defaultHelp: '`helm`',
    problem: (v: string) =>
      (METHODS as readonly string[]).includes(v)
        ? undefined
        : { message: `unknown method "${v}"`, fix: `use one of ${METHODS.join(', ')}` },
  },
  createConfig: {
    flag: '--create-config',
    arg: '[kind]',
    help: 'commit .gitlab/agents/<agent>/config.yaml: empty, ci-access or user-access',
    defaultHelp: 'asked; `none` with `--yes`',
    // Given without a kind: an empty file.
    parse: (raw: string) => (raw === '' ? 'empty' : raw),
    problem: (v: string) =>
      (CREATE_CONFIG_CHOICES as readonly string[]).includes(v)
        ? undefined
        : { message: `unknown value "${v}"`, fix: `use one of ${CREATE_CONFIG_CHOICES.join(', ')}` },
  },
  cleanupOnFailure: {
    flag: '--cleanup-on-failure',
    help: 'after a failure, remove what this run created without asking',
    defaultHelp: 'keep, so a re-run resumes',
  },
  dryRun: {
    flag: '--dry-run',
    help: 'check everything read-only and print the plan and helm command; create nothing',
  },
  timeoutMs: {
    flag: '--timeout',
    arg: '<duration>',
    help: 'how long to wait for the pods to be Ready',
    default: '5m',
    parse: parseDuration,
    problem: durationProblem,
    fix: 'e.g. --timeout 5m',
  },
  connectTimeoutMs: {
    flag: '--connect-timeout',
    arg: '<duration>',
    help: 'how long to wait for GitLab to see the agent',
    default: '3m',
    parse: parseDuration,
    problem: durationProblem,
    fix: 'e.g. --connect-timeout 3m',
  },
  output: {
    flag: '--output',
    short: '-o',
    arg: '<format>',
    help: 'text, or json: the result as one JSON document on stdout (progress stays on stderr)',
    default: 'text',
    parse: (raw: string) => raw as 'text' | 'json',
    problem: (v: string) => (v === 'text' || v === 'json' ? undefined : { message: `unknown format "${v}"`, fix: 'use text or json' }),
  },
} satisfies Record<string, OptionSpec<string> | OptionSpec<boolean> | OptionSpec<number>>;

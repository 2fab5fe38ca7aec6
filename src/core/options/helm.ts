import { chartRepoProblem, chartVersionProblem, ociRefProblem } from '../plan/chart-ref.js';
import { carriesToken, parseSetArgument } from '../plan/helm/set-grammar.js';
import { releaseNameProblem } from '../plan/names.js';
import { isSecretLike } from '../plan/secret-shapes.js';
import type { OptionSpec, Problem } from './option.js';

const NO_TOKEN_IN_VALUES = {
  message: 'a token must not go into helm values (they are stored in the release)',
  fix: 'let the tool create the token Secret, or pass --token-secret',
};

/**
 * A --set item read with helm's own grammar: not key=value, or a key or value that would put a token
 * into helm's release history, wherever it stands in the comma-separated list.
 */
function setProblem(flag: string) {
  return (set: string): Problem | undefined => {
    const parsed = parseSetArgument(set);
    if ('problem' in parsed) return { message: `"${set}": ${parsed.problem}`, fix: `e.g. ${flag} replicas=1` };
    if (parsed.some((a) => carriesToken(a.path) || isSecretLike(a.value))) return NO_TOKEN_IN_VALUES;
    return undefined;
  };
}

/** How the Helm delivery installs the chart. */
export const helmOptions = {
  release: {
    flag: '--release',
    arg: '<name>',
    help: 'helm release name (default: the agent name)',
    defaultHelp: 'the agent name',
    problem: releaseNameProblem,
    fix: 'use lowercase letters, digits and "-", at most 53',
    ask: { message: 'Helm release name', help: 'Defaults to the agent name; several agents in one cluster need different releases.' },
  },
  chartVersion: {
    flag: '--chart-version',
    arg: '<version>',
    help: 'gitlab-agent chart version (default: newest)',
    defaultHelp: 'newest',
    problem: chartVersionProblem,
    fix: 'e.g. 2.32.0 or ~2.32',
    ask: { message: 'Chart version', help: 'Empty = the newest gitlab-agent chart.' },
  },
  chartRepo: {
    flag: '--chart-repo',
    arg: '<url>',
    help: 'chart repository URL (default: https://charts.gitlab.io)',
    defaultHelp: '`https://charts.gitlab.io`',
    problem: chartRepoProblem,
    fix: 'e.g. https://charts.gitlab.io',
  },
  chart: {
    flag: '--chart',
    arg: '<ref>',
    help: 'chart from a local directory, a .tgz or an oci:// reference instead of a repository',
    problem: ociRefProblem,
    fix: 'e.g. oci://registry.example.com/charts/gitlab-agent',
    conflicts: ['chartRepo'],
  },
  values: {
    flag: '--values',
    arg: '<file>',
    repeatable: true,
    help: 'extra helm values file (repeatable)',
  },
  set: {
    flag: '--set',
    arg: '<key=value>',
    repeatable: true,
    help: 'extra helm value (repeatable); never a token',
    problem: setProblem('--set'),
  },
  setString: {
    flag: '--set-string',
    arg: '<key=value>',
    repeatable: true,
    help: 'extra helm value kept as a string (repeatable), e.g. annotations',
    problem: setProblem('--set-string'),
  },
  valuesOut: {
    flag: '--values-out',
    arg: '<file>',
    help: 'also write the helm values to this file (for GitOps)',
  },
  helmLog: {
    flag: '--helm-log',
    arg: '<file>',
    help: "write helm's full output to this file (the screen keeps the last lines)",
  },
} satisfies Record<string, OptionSpec<string> | OptionSpec<string[]>>;

import { parseGitLabUrl } from '../plan/urls.js';
import { agentNameProblem } from '../plan/names.js';
import type { OptionSpec } from './option.js';

/** Where the agent goes: which cluster, which GitLab, which project and agent. */
export const targetOptions = {
  kubeconfig: {
    flag: '--kubeconfig',
    arg: '<path>',
    help: 'kubeconfig file (default: KUBECONFIG, then ~/.kube/config)',
    defaultHelp: '`KUBECONFIG` (several files, `:`-separated), then `~/.kube/config`',
    env: ['KUBECONFIG'],
  },
  context: {
    flag: '--context',
    arg: '<name>',
    help: 'kube context to install into (default: ask; with --yes the current context)',
    defaultHelp: 'asked; with `--yes` the current context',
    ask: {
      message: 'Which cluster should the agent run in?',
      help: 'Kube contexts from your kubeconfig; reachability is checked in the background.',
    },
  },
  gitlabUrl: {
    flag: '--gitlab-url',
    arg: '<url>',
    help: 'GitLab instance URL (default: GITLAB_HOST, glab config, https://gitlab.com)',
    defaultHelp: "`GITLAB_HOST` / `GITLAB_URL`, glab's configured host, `https://gitlab.com`",
    env: ['GITLAB_URL', 'GITLAB_HOST'],
    problem: (v: string) => {
      const parsed = parseGitLabUrl(v);
      return 'problem' in parsed ? parsed.problem : undefined;
    },
    fix: 'e.g. https://gitlab.example.com',
  },
  gitlabCa: {
    flag: '--gitlab-ca',
    arg: '<pem>',
    help: 'CA certificate that signed GitLab, for a private CA',
    defaultHelp: 'system trust',
  },
  project: {
    flag: '--project',
    arg: '<path|id>',
    help: 'project that holds the agent (Maintainer role needed)',
    defaultHelp: 'asked (search as you type)',
    ask: {
      message: 'Project that holds the agent (path or id)',
      help: 'Type to search projects you maintain; the agent configuration lives in .gitlab/agents/<name>/ there.',
    },
  },
  agent: {
    flag: '--agent',
    arg: '<name>',
    help: 'agent name (DNS label: lowercase, digits, "-", at most 63)',
    defaultHelp: 'asked; an existing agent is reused',
    problem: agentNameProblem,
    fix: 'use lowercase letters, digits and "-", at most 63',
    ask: {
      message: 'Agent name',
      help: 'Lowercase letters, digits and "-", at most 63; unique in the project.',
      placeholder: 'e.g. production',
    },
  },
} satisfies Record<string, OptionSpec<string>>;

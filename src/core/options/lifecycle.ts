import type { OptionSpec } from './option.js';

/** How the lifecycle commands (status, upgrade, uninstall, rotate-token) pick installs and what they may do. */
export const lifecycleOptions = {
  contexts: {
    flag: '--context',
    arg: '<name>',
    repeatable: true,
    help: 'kube context to look in (repeatable; default: asked, with --yes the current context)',
    defaultHelp: 'asked; with `--yes` the current context',
    conflicts: ['allContexts'],
  },
  allContexts: {
    flag: '--all-contexts',
    help: 'look in every context of the kubeconfig (unreachable ones are shown as such)',
  },
  rollbackOnFailure: {
    flag: '--rollback-on-failure',
    help: 'when the upgraded agent does not become Ready and connected, roll back to the previous revision without asking',
    defaultHelp: 'asked; no rollback with `--yes`',
  },
  continueOnFailure: {
    flag: '--continue-on-failure',
    help: 'with several installs, go on with the next after one fails',
    defaultHelp: 'stop at the first failure',
  },
  revokeAgentToken: {
    flag: '--revoke-agent-token',
    help: 'also revoke the agent token this install used',
    defaultHelp: 'asked; kept with `--yes`',
  },
  deleteAgent: {
    flag: '--delete-agent',
    help: 'also delete the agent registration in GitLab (its tokens go with it)',
    defaultHelp: 'asked; kept with `--yes`',
  },
  deleteConfig: {
    flag: '--delete-config',
    help: 'also delete .gitlab/agents/<agent>/config.yaml from the project (one commit)',
    defaultHelp: 'asked; kept with `--yes`',
  },
  fix: {
    flag: '--fix',
    help: 'after the report, apply the mechanical fix of the root cause (a new token into a missing or revoked token Secret, a pod restart) once you confirm; then diagnose again',
    defaultHelp: 'report only; with `--yes` in flag mode it confirms',
  },
  bundle: {
    flag: '--bundle',
    arg: '<file>',
    help: "also write a support bundle (tar.gz: the findings, the objects as YAML, events, recent and previous logs, versions, this run's log), every token and Secret value masked",
  },
} satisfies Record<string, OptionSpec<string[]> | OptionSpec<boolean> | OptionSpec<string>>;

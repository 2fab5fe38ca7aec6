import { imageRepositoryProblem, imageTagProblem } from '../plan/image-ref.js';
import { clusterRoleNameProblem, namespaceProblem, secretNameProblem, serviceAccountProblem } from '../plan/names.js';
import { kasAddressProblem, proxyUrlProblem, SUGGESTED_NO_PROXY } from '../plan/urls.js';
import type { OptionSpec } from './option.js';

const PROXY_FIX = 'e.g. http://proxy.example.com:3128';

/** What the agent gets, whatever delivers it: namespace, server address, image, proxy, CA, RBAC, token. */
export const settingsOptions = {
  namespace: {
    flag: '--namespace',
    short: '-n',
    arg: '<name>',
    help: 'namespace for the agent (default: gitlab-agent-<agent>)',
    defaultHelp: '`gitlab-agent-<agent>` (as the GitLab UI)',
    problem: namespaceProblem,
    fix: 'use a valid namespace name',
    ask: { message: 'Namespace for the agent', help: 'The GitLab UI uses gitlab-agent-<agent>; one agent per namespace keeps them apart.' },
  },
  createNamespace: {
    flag: '--no-create-namespace',
    negates: true,
    help: 'fail instead of creating a missing namespace',
    defaultHelp: 'create',
  },
  kasAddress: {
    flag: '--kas-address',
    arg: '<url>',
    help: "agent server address (default: GitLab's kas.externalUrl)",
    defaultHelp: "GitLab's `kas.externalUrl` from `GET /metadata`",
    problem: kasAddressProblem,
    fix: 'e.g. wss://gitlab.example.com/-/kubernetes-agent/',
  },
  imageTag: {
    flag: '--image-tag',
    arg: '<tag>',
    help: "agentk image tag (default: GitLab's major.minor, e.g. v18.6.0; chart appVersion on GitLab.com)",
    defaultHelp: 'the agentk version GitLab recommends; chart appVersion on GitLab.com; warns outside ±1 minor',
    problem: imageTagProblem,
    fix: 'e.g. v18.6.0 (with its v)',
    ask: { message: 'agentk image tag' },
  },
  imageRepository: {
    flag: '--image-repository',
    arg: '<repo>',
    help: 'agentk image repository, for mirrors and air-gapped clusters',
    defaultHelp: 'chart default',
    problem: imageRepositoryProblem,
    fix: 'e.g. registry.example.com:5000/gitlab/agentk',
  },
  httpProxy: {
    flag: '--http-proxy',
    arg: '<url>',
    help: 'HTTP_PROXY for agentk',
    problem: proxyUrlProblem,
    fix: PROXY_FIX,
    ask: { message: 'HTTP_PROXY (optional)', help: 'Proxy for plain http:// traffic; empty = none.' },
  },
  httpsProxy: {
    flag: '--https-proxy',
    arg: '<url>',
    help: 'HTTPS_PROXY for agentk',
    problem: proxyUrlProblem,
    fix: PROXY_FIX,
    ask: { message: 'HTTPS_PROXY', help: 'Proxy URL for https:// and wss:// traffic to GitLab.' },
  },
  noProxy: {
    flag: '--no-proxy',
    arg: '<hosts>',
    help: 'NO_PROXY for agentk (comma-separated)',
    defaultHelp: `suggested: \`${SUGGESTED_NO_PROXY}\``,
    ask: { message: 'NO_PROXY', help: 'In-cluster destinations that must bypass the proxy; add your Service CIDR.' },
  },
  kasCaCert: {
    flag: '--kas-ca-cert',
    arg: '<pem>',
    help: 'CA certificate KAS is signed with (config.kasCaCert)',
    defaultHelp: 'none',
    ask: { message: 'Path of the KAS CA certificate (PEM)', help: 'Parsed here; subject and expiry are shown in the review.' },
  },
  allowExpiredCa: {
    flag: '--allow-expired-ca',
    help: 'accept an expired --kas-ca-cert',
    defaultHelp: 'refuse',
  },
  serviceAccount: {
    flag: '--service-account',
    arg: '<name>',
    help: 'use this existing service account instead of creating one',
    defaultHelp: "the chart's own",
    problem: serviceAccountProblem,
    fix: 'name an existing service account in the namespace',
  },
  existingRole: {
    flag: '--existing-role',
    arg: '<name>',
    help: 'bind this existing ClusterRole instead of cluster-admin',
    defaultHelp: 'cluster-admin, with the production warning',
    problem: clusterRoleNameProblem,
    fix: 'name an existing ClusterRole',
    conflicts: ['noRbac'],
    ask: { message: 'Name of the ClusterRole to bind', help: 'It must exist before the install.' },
  },
  noRbac: {
    flag: '--no-rbac',
    help: 'create no ClusterRoleBinding (you bind the service account yourself)',
  },
  containerScanning: {
    flag: '--no-container-scanning',
    negates: true,
    help: "turn off the chart's container scanning: its ServiceAccount, Role and a ClusterRole that reads Secrets cluster-wide",
    defaultHelp: 'on (chart default); off with `--no-rbac` or `--service-account`',
  },
  secureDefaults: {
    flag: '--no-secure-defaults',
    negates: true,
    help: "keep the chart's empty securityContext and label no Pod Security level on a namespace we create",
    defaultHelp:
      'non-root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp, read-only root filesystem; the namespace labelled with the level that passes',
  },
  tokenSecret: {
    flag: '--token-secret',
    arg: '<name>',
    help: 'use your own Secret (key "token") in the namespace; no token is created',
    defaultHelp: 'we create `<agent>-agent-token`',
    problem: secretNameProblem,
    fix: 'name an existing Secret',
  },
  revokeToken: {
    flag: '--revoke-token',
    arg: '<id>',
    help: 'when the agent already has two active tokens, revoke this one',
    defaultHelp: 'asked; never silent',
    problem: (v: string) =>
      /^\d+$/.test(v) ? undefined : { message: `"${v}" is not a token id`, fix: 'pass the numeric id of the token to revoke' },
  },
} satisfies Record<string, OptionSpec<string> | OptionSpec<boolean>>;

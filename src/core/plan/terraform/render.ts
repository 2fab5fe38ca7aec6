import { agentConfigContent, agentConfigPath } from '../agent-config.js';
import type { AgentSettings } from '../agent-settings.js';
import type { AgentTarget } from '../agent-target.js';
import type { RepoFile } from '../repo-file.js';

export interface TerraformInput {
  target: AgentTarget;
  settings: AgentSettings;
  release: string;
  chartRepo: string;
  chartName: string;
  chartVersion?: string;
  /** The chart values (no token: the chart reads it from config.secretName). */
  values: Record<string, unknown>;
  /** Branch the agent configuration file is committed to. */
  defaultBranch: string;
}

/** HCL string literal (JSON's escapes are HCL's, plus "${" and "%{" templates kept literal). */
function str(value: string): string {
  return JSON.stringify(value).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

/** A value as an HCL expression, for yamlencode(): objects, lists, strings, numbers, booleans. */
function hcl(value: unknown, indent = '  '): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value.includes('\n') ? heredoc(value, indent) : str(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[\n${value.map((v) => `${inner}${hcl(v, inner)},`).join('\n')}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : str(k)} = ${hcl(v, inner)}`).join('\n')}\n${indent}}`;
}

function heredoc(text: string, indent: string): string {
  const body = text.replace(/\$\{/g, '$${').replace(/%\{/g, '%%{').replace(/\n$/, '');
  return `<<-EOT\n${body
    .split('\n')
    .map((l) => `${indent}  ${l}`)
    .join('\n')}\n${indent}EOT`;
}

/**
 * Terraform for the same install: the GitLab provider registers the agent, mints its token and commits
 * the configuration file; the Kubernetes provider stores the token in a Secret; the Helm provider installs
 * the chart reading that Secret. The token is only ever the provider's sensitive attribute, never a
 * literal, and never a helm value (a helm value is kept in the release history).
 */
export function renderTerraform(input: TerraformInput): RepoFile[] {
  const { target, settings } = input;
  const own = settings.tokenSecret.own;
  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l, '');
  push(
    '# Written by gitlab-agent-tui: the agent install as code. No token is in any file; Terraform keeps the',
    '# one it mints in its state, so keep the state encrypted (e.g. a GitLab-managed Terraform state).',
    'terraform {',
    '  required_version = ">= 1.5"',
    '  required_providers {',
    '    gitlab     = { source = "gitlabhq/gitlab", version = "~> 18.0" }',
    '    kubernetes = { source = "hashicorp/kubernetes", version = "~> 2.38" }',
    '    helm       = { source = "hashicorp/helm", version = "~> 3.0" }',
    '  }',
    '}',
  );
  push(
    '# The GitLab token comes from GITLAB_TOKEN (never written here).',
    'provider "gitlab" {',
    `  base_url = ${str(`${target.gitlabUrl}/api/v4`)}`,
    '}',
  );
  const kube = [`  config_path    = var.kubeconfig`, `  config_context = ${str(target.context)}`];
  push(
    'variable "kubeconfig" {',
    '  description = "kubeconfig file for the cluster the agent runs in"',
    '  type        = string',
    '  default     = "~/.kube/config"',
    '}',
  );
  push('provider "kubernetes" {', ...kube, '}');
  push('provider "helm" {', '  kubernetes = {', ...kube.map((l) => `  ${l}`), '  }', '}');
  push('data "gitlab_project" "agent" {', `  path_with_namespace = ${str(target.projectPath)}`, '}');
  push('resource "gitlab_cluster_agent" "this" {', '  project = data.gitlab_project.agent.id', `  name    = ${str(target.agentName)}`, '}');
  if (settings.createConfig !== 'none') {
    push(
      'resource "gitlab_repository_file" "agent_config" {',
      '  project        = data.gitlab_project.agent.id',
      `  branch         = ${str(input.defaultBranch)}`,
      `  file_path      = ${str(agentConfigPath(target.agentName))}`,
      `  content        = base64encode(${heredoc(agentConfigContent(settings.createConfig, target.projectPath), '  ')})`,
      `  commit_message = ${str(`Add GitLab agent configuration for ${target.agentName}`)}`,
      '}',
    );
  }
  if (target.createNamespace) {
    push('resource "kubernetes_namespace_v1" "agent" {', '  metadata {', `    name = ${str(target.namespace)}`, '  }', '}');
  }
  const namespaceRef = target.createNamespace ? 'kubernetes_namespace_v1.agent.metadata[0].name' : str(target.namespace);
  if (!own) {
    push(
      'resource "gitlab_cluster_agent_token" "this" {',
      '  project     = data.gitlab_project.agent.id',
      '  agent_id    = gitlab_cluster_agent.this.agent_id',
      `  name        = ${str(`terraform-${input.release}`)}`,
      `  description = ${str(`Used by agentk in ${target.context}/${target.namespace}`)}`,
      '}',
    );
    push(
      '# The token reaches the cluster only as this Secret; the chart reads it through config.secretName.',
      'resource "kubernetes_secret_v1" "agent_token" {',
      '  metadata {',
      `    name      = ${str(settings.tokenSecret.name)}`,
      `    namespace = ${namespaceRef}`,
      '  }',
      '  data = {',
      '    token = gitlab_cluster_agent_token.this.token',
      '  }',
      '}',
    );
  }
  const dependsOn = own ? [] : ['kubernetes_secret_v1.agent_token'];
  push(
    'resource "helm_release" "agent" {',
    `  name       = ${str(input.release)}`,
    `  namespace  = ${namespaceRef}`,
    ...(input.chartRepo.startsWith('oci://')
      ? [`  chart      = ${str(`${input.chartRepo.replace(/\/+$/, '')}/${input.chartName}`)}`]
      : [`  repository = ${str(input.chartRepo)}`, `  chart      = ${str(input.chartName)}`]),
    ...(input.chartVersion ? [`  version    = ${str(input.chartVersion)}`] : []),
    `  values     = [yamlencode(${hcl(input.values, '  ')})]`,
    ...(dependsOn.length ? [`  depends_on = [${dependsOn.join(', ')}]`] : []),
    '}',
  );
  push('output "agent_id" {', '  value = gitlab_cluster_agent.this.agent_id', '}');
  return [{ path: 'main.tf', content: `${lines.join('\n').replace(/\n+$/, '')}\n` }];
}

import { pullSecretWarning } from '../../plan/advanced-options.js';
import type { FlowIO } from '../../kernel/io.js';
import type { SelectQuestion } from '../../kernel/questions.js';
import type { StepRunner } from '../../kernel/step-runner.js';
import { DELIVERIES, PLANNED_METHODS } from '../../delivery/index.js';
import type { Delivery } from '../../delivery/delivery.js';
import { optionError } from '../../options/catalogue.js';
import type { AgentSettings } from '../../plan/agent-settings.js';
import type { AgentTarget } from '../../plan/agent-target.js';
import type { CaCertInfo } from '../../plan/ca-cert.js';
import { METHODS, type Method } from '../../plan/choices.js';
import { defaultNamespace, defaultTokenSecretName, namespaceProblem } from '../../plan/names.js';
import { recommendedImageTag } from '../../plan/versions.js';
import type { Ports } from '../../ports/index.js';
import { aboutOption, askOption } from '../../steps/ask.js';
import { askAdvanced } from '../../steps/settings/ask-advanced.js';
import { askConfigFile } from '../../steps/settings/ask-config-file.js';
import { askImageTag } from '../../steps/settings/ask-image-tag.js';
import { askKasCa } from '../../steps/settings/ask-kas-ca.js';
import { askProxy } from '../../steps/settings/ask-proxy.js';
import { askRbac } from '../../steps/settings/ask-rbac.js';
import type { LocalInputs } from '../../steps/settings/read-local-inputs.js';
import { chooseAgent } from '../../steps/target/choose-agent.js';
import { chooseContext, type ChosenContext } from '../../steps/target/choose-context.js';
import { chooseProject } from '../../steps/target/choose-project.js';
import { connectGitLab, type GitLabSession } from '../../steps/target/connect-gitlab.js';
import type { InstallOptions } from './options.js';

const GITLAB = 'a GitLab request';

/** Everything the install will do, answered and read-only checked so far; nothing exists yet. */
export interface Gathered<P = unknown> {
  chosen: ChosenContext;
  session: GitLabSession;
  defaultBranch?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the plan type is the delivery's own
  delivery: Delivery<P, any>;
  target: AgentTarget;
  settings: AgentSettings;
  plan: P;
  ca?: CaCertInfo;
  warnings: string[];
}

async function chooseMethod(given: string | undefined, io: FlowIO): Promise<Method> {
  if (given !== undefined) return given as Method;
  return io.asker.ask<SelectQuestion<Method>>({
    kind: 'select',
    ...aboutOption('method'),
    message: 'How should the agent be installed?',
    choices: METHODS.map((m) => {
      const delivery = DELIVERIES[m];
      const planned = PLANNED_METHODS[m];
      return delivery
        ? { value: m, label: delivery.label, hint: delivery.hint }
        : { value: m, label: planned?.label ?? m, disabled: planned?.why ?? 'not available' };
    }),
    default: 'helm',
  });
}

/**
 * The gather phase: where (context, GitLab, project, agent), how (method) and what (settings), each
 * answer checked as it is given. Read-only: it talks to the cluster and GitLab only to look.
 */
export async function gatherInstall(
  opts: InstallOptions,
  local: LocalInputs,
  ports: Ports,
  io: FlowIO,
  steps: StepRunner,
): Promise<Gathered> {
  const source = { kubeconfig: opts.kubeconfig };
  const chosen = await steps.run(
    'context',
    'Kubernetes context',
    async (ctl) => {
      // A dry run or an export goes on without the cluster: it only skips the cluster checks.
      const c = await chooseContext(source, opts.context, ports, io, { acceptUnreachable: opts.dryRun || opts.exportDir !== undefined });
      if (!c.probe.ok) {
        io.emit({
          type: 'warn',
          text: `context ${c.context.name} is not reachable (${c.probe.message}); the run continues without cluster checks`,
        });
      }
      ctl.detail(`${c.context.name} · ${c.probe.ok ? `Kubernetes ${c.probe.serverVersion}` : 'unreachable'}`);
      return c;
    },
    'the cluster probes',
  );

  const method = await chooseMethod(opts.method, io);
  const delivery = DELIVERIES[method];
  if (!delivery) throw optionError('method', `the ${method} method is not available in this version`, 'use --method helm');
  delivery.validate?.(opts);
  if (opts.exportFormat !== undefined && opts.exportDir === undefined)
    throw optionError('exportFormat', 'says what --export writes', 'add --export DIR');

  if (delivery.tools) {
    const tools = delivery.tools;
    await steps.run(
      tools.step,
      tools.title,
      async (ctl) => {
        const r = await tools.check(ports, opts.dryRun || opts.exportDir !== undefined, io);
        if (r.skipped) ctl.skip(r.skipped);
        else if (r.detail) ctl.detail(r.detail);
      },
      tools.title.toLowerCase(),
    );
  }

  const session = await steps.run(
    'gitlab',
    'GitLab',
    async (ctl) => {
      const s = await connectGitLab(opts.gitlabUrl, local.gitlabCa, ports, io);
      ctl.detail(`${s.client.url} · GitLab ${s.metadata.version} · signed in as ${s.user.username}`);
      return s;
    },
    GITLAB,
  );
  const kasAddress = opts.kasAddress ?? session.metadata.kas.externalUrl ?? undefined;
  if (!kasAddress) {
    if (session.metadata.reportsKas === false) {
      throw optionError(
        'kasAddress',
        `GitLab ${session.metadata.version} is older than 15.2 and cannot report its agent server address`,
        'pass --kas-address (e.g. wss://gitlab.example.com/-/kubernetes-agent/)',
      );
    }
    throw optionError(
      'kasAddress',
      `${session.client.url} reports no agent server (KAS is disabled)`,
      'ask your GitLab admin to enable KAS, or pass --kas-address',
    );
  }

  const project = await steps.run(
    'project',
    'Project',
    async (ctl) => {
      const p = await chooseProject(opts.project, session, io);
      ctl.detail(p.pathWithNamespace);
      return p;
    },
    GITLAB,
  );
  const agent = await steps.run(
    'agent',
    'Agent',
    async (ctl) => {
      const a = await chooseAgent(opts.agent, project, session, io);
      ctl.detail(a.existing ? `${a.name} (exists, id ${a.existing.id})` : `${a.name} (new)`);
      return a;
    },
    GITLAB,
  );

  return steps.run('options', 'Options', async (ctl) => {
    const warnings: string[] = [];
    const ask = { opts, io, agentName: agent.name };
    const namespace = opts.namespace ?? (await askOption(io, 'namespace', defaultNamespace(agent.name), namespaceProblem));
    const name = await delivery.askName(ask);
    const imageTag = await askImageTag(
      {
        given: opts.imageTag,
        recommended: recommendedImageTag(session.client.url, session.metadata),
        gitlabVersion: session.metadata.version,
      },
      io,
      warnings,
    );
    const version = await delivery.askVersion(ask);
    const proxy = await askProxy(opts, io, warnings);
    const kasCa = await askKasCa(opts, local.kasCa, ports.files, io);
    const rbac = await askRbac(opts, io, warnings);
    const createConfig = await askConfigFile(opts.createConfig, agent.name, project.pathWithNamespace, io);
    const advanced = await askAdvanced(opts, io);
    const pullWarning = pullSecretWarning(advanced.imagePullSecrets, opts.imageRepository);
    if (pullWarning) warnings.push(pullWarning);
    const extras = (await delivery.askExtras?.(ask)) ?? {};

    const target: AgentTarget = {
      kubeconfig: opts.kubeconfig,
      context: chosen.context.name,
      gitlabUrl: session.client.url,
      projectId: project.id,
      projectPath: project.pathWithNamespace,
      agentName: agent.name,
      agentId: agent.existing?.id,
      namespace,
      createNamespace: opts.createNamespace ?? true,
    };
    const settings: AgentSettings = {
      kasAddress,
      image: { tag: imageTag, repository: opts.imageRepository },
      proxy,
      kasCa: kasCa ? { path: kasCa.path, pem: kasCa.ca.pem } : undefined,
      rbac,
      // The scanner always brings its own ServiceAccount and cluster-wide RBAC: "no RBAC" or "my service account" rule it out.
      containerScanning: opts.containerScanning !== false && rbac.mode !== 'none' && opts.serviceAccount === undefined,
      secureDefaults: opts.secureDefaults !== false,
      advanced,
      serviceAccount: opts.serviceAccount,
      tokenSecret: { name: opts.tokenSecret ?? defaultTokenSecretName(agent.name), own: opts.tokenSecret !== undefined },
      createConfig,
    };
    const plan = delivery.plan({ ...opts, ...extras }, name, version);
    ctl.detail(delivery.summary(target, plan));
    return { chosen, session, defaultBranch: project.defaultBranch, delivery, target, settings, plan, ca: kasCa?.ca.info, warnings };
  });
}

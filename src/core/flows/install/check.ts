import type { FlowIO } from '../../kernel/io.js';
import type { StepRunner } from '../../kernel/step-runner.js';
import type { DeliveryCheck, Rendered } from '../../delivery/delivery.js';
import { optionError } from '../../options/catalogue.js';
import type { Ports } from '../../ports/index.js';
import type { KubeCluster } from '../../ports/kube/index.js';
import { checkAccess } from '../../steps/check/access.js';
import { renderedAccess } from '../../plan/rendered-access.js';
import { planToken, type TokenPlan } from '../../steps/check/token-state.js';
import type { Gathered } from './gather.js';
import type { InstallOptions } from './options.js';

/** What the read-only checks found; undefined parts were skipped (a dry run of an unreachable cluster). */
export interface Checked {
  cluster?: KubeCluster;
  namespaceExists: boolean;
  delivery?: DeliveryCheck<unknown>;
  token?: TokenPlan;
  /** What the delivery will create, rendered with the run's inputs (helm: helm template). */
  rendered?: Rendered;
}

/**
 * The check phase: every right the run needs, what already exists (release, Secret, tokens), and
 * the questions that depend on it, all before the review. Nothing is created here.
 */
export async function checkInstall(g: Gathered, opts: InstallOptions, ports: Ports, io: FlowIO, steps: StepRunner): Promise<Checked> {
  if (!g.chosen.probe.ok) return { namespaceExists: false };
  const cluster = await ports.kube.cluster({ kubeconfig: opts.kubeconfig }, g.target.context);
  return steps.run(
    'preflight',
    'Preflight checks',
    async (ctl) => {
      const { target, settings } = g;
      const namespaceExists = await cluster.namespaceExists(target.namespace);
      if (!namespaceExists && !target.createNamespace) {
        throw optionError(
          'namespace',
          `namespace ${target.namespace} does not exist and --no-create-namespace was given`,
          'create it first or drop --no-create-namespace',
        );
      }
      const context = {
        ports,
        io,
        cluster,
        target,
        settings,
        plan: g.plan,
        namespaceExists,
        gitlab: g.session.client,
        metadata: g.session.metadata,
        defaultBranch: g.defaultBranch,
        dryRun: opts.dryRun || opts.exportDir !== undefined,
      };
      // What will be created, rendered with the exact inputs (no cluster needed): bad input stops here.
      const rendered = await g.delivery.render?.(context);
      const renderedRights = (upgrading: boolean) =>
        rendered ? renderedAccess(rendered.objects, target.namespace, { upgrading, serverSideApply: rendered.serverSideApply }) : [];
      // The rights next, all named at once: a context that may not do the job learns it before any other question.
      await checkAccess(cluster, [...g.delivery.requiredAccess(target, settings, g.plan, namespaceExists), ...renderedRights(false)]);
      const delivery = await g.delivery.preflight(context);
      // A re-run upgrades: the objects are patched as well (server-side apply was checked for patch already).
      const patches =
        delivery.upgrading && rendered && !rendered.serverSideApply ? renderedRights(true).filter((a) => a.verb === 'patch') : [];
      if (patches.length > 0) await checkAccess(cluster, patches);
      const token = await planToken(
        cluster,
        g.session.client,
        target,
        settings,
        namespaceExists,
        opts.revokeToken,
        `gitlab-agent-tui-${g.delivery.nameOf(g.plan)}`,
        io,
        g.session.metadata.version,
      );
      for (const note of [...delivery.notes, ...token.notes]) io.emit({ type: 'info', text: note });
      ctl.detail('permissions ok');
      return { cluster, namespaceExists, delivery, token, rendered };
    },
    'the cluster checks',
  );
}

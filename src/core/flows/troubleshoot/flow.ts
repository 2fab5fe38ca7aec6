import { diagnose } from '../../diagnosis/catalogue.js';
import { causalChain } from '../../diagnosis/check.js';
import { proposeFixes } from '../../diagnosis/fixes.js';
import { findInstalls } from '../../discovery/find-installs.js';
import { ExitCode } from '../../kernel/errors.js';
import type { FlowIO } from '../../kernel/io.js';
import type { FlowOutcome } from '../../kernel/outcome.js';
import { StepRunner } from '../../kernel/step-runner.js';
import { toOutcome } from '../../kernel/to-outcome.js';
import { Ledger } from '../../kernel/ledger.js';
import { validateOptions } from '../../options/catalogue.js';
import { installName } from '../../plan/lifecycle/install-health.js';
import type { HelmRelease } from '../../ports/helm.js';
import { prefetchHelm } from './prefetch-helm.js';
import { readsFromSecrets, releaseSource } from './release-source.js';
import type { Ports } from '../../ports/index.js';
import { chooseAgentCluster } from '../../steps/lifecycle/agent-cluster.js';
import { chooseInstall } from '../../steps/lifecycle/choose-installs.js';
import { readLocalInputs } from '../../steps/settings/read-local-inputs.js';
import { applyFix, canApply, describeFix } from './apply-fix.js';
import { bundleContents, runLogLine } from './bundle.js';
import { collectCluster } from './collect-cluster.js';
import { LayerTracker } from './layer-progress.js';
import { probeKasFromHere, type LocalLook } from './probe-kas.js';
import { connectForDiagnosis, lookUpAgent, type GitLabLook } from './collect-gitlab.js';
import { TROUBLESHOOT_OPTION_IDS, type TroubleshootOptions } from './options.js';
import type { GitLabReadings } from './readings.js';
import { headlineOf, installResult, resultSections, type TroubleshootInstall, type TroubleshootResult } from './result.js';
import { deploymentEvidence, toEvidence } from './to-evidence.js';

function localDetail(look: Extract<LocalLook, { local: unknown }>): string {
  const { dns, tcp, tls, upgrade, viaProxy } = look.local;
  const ok = (v: { ok: boolean; code?: string } | undefined, what: string) =>
    v === undefined ? [] : [v.ok ? `${what} ok` : `${what} ${v.code ?? 'failed'}`];
  const ws =
    upgrade === undefined
      ? []
      : ['status' in upgrade ? `upgrade ${upgrade.status}` : 'closed' in upgrade ? 'upgrade unanswered' : 'upgrade not sent'];
  return [
    ...ok(dns, 'DNS'),
    ...ok(tcp, 'TCP'),
    ...ok(tls?.systemCa, 'TLS'),
    ...ok(tls?.configuredCa, "TLS with agentk's CA"),
    ...ws,
    ...(viaProxy ? [`via ${viaProxy}`] : []),
  ].join(' · ');
}

/**
 * Troubleshoot (doctor): pick the context and one agent install, read what the cluster and GitLab say
 * about it through the ports (read-only: nothing is created or changed), and diagnose it with the rule
 * catalogue. The result is the causal chain, root cause first. With --fix, the root cause's mechanical fix
 * (see apply-fix.ts) runs once the user confirms it (typing the release name; --yes in flag mode), then
 * everything is read and diagnosed again and that second diagnosis is the result. Exit 0 when nothing
 * fails, 1 when a problem is found, 2 on bad input (before any network call).
 */
export async function runTroubleshoot(opts: TroubleshootOptions, ports: Ports, frontEnd: FlowIO): Promise<FlowOutcome<TroubleshootResult>> {
  /** With --bundle, everything the run says is also kept, for the bundle's run.log. */
  const runLog: string[] = [];
  const io: FlowIO = opts.bundle
    ? {
        ...frontEnd,
        emit: (event) => {
          runLog.push(runLogLine(new Date(ports.clock.now()).toISOString(), event));
          frontEnd.emit(event);
        },
      }
    : frontEnd;
  const steps = new StepRunner(io.emit, io.signal);
  /** What a fix created (a token, the Secret): the outcome lists it, and how to undo it, whatever happens. */
  const ledger = new Ledger(io.emit);
  try {
    validateOptions(TROUBLESHOOT_OPTION_IDS, opts);
    const local = await readLocalInputs(
      { values: [], gitlabCa: opts.gitlabCa, kasCaCert: undefined, allowExpiredCa: false, bundle: opts.bundle },
      ports.files,
    );
    // Where helm's releases are read from helm's Secrets, no helm process runs. Where helm answers, it is a
    // process of its own: with the context named, discovery's `helm list` (and `helm history` of the named release
    // when it is not deployed) start now, on another core, while this process loads the Kubernetes client and
    // probes the context. Read-only; dropped if another context ends up chosen.
    const early =
      opts.context && !readsFromSecrets(ports.env, opts.namespace)
        ? prefetchHelm(ports.helm, { kubeconfig: opts.kubeconfig, context: opts.context }, opts.namespace, opts.release)
        : undefined;
    const context = await chooseAgentCluster(steps, opts.kubeconfig, opts.context, ports, io);
    const cluster = await ports.kube.cluster({ kubeconfig: opts.kubeconfig }, context);
    // The examination reads Deployments, pods, events and a Service generically: look their resources up during discovery.
    cluster.warmDiscovery?.([
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      { apiVersion: 'v1', kind: 'Pod' },
    ]);
    const target = { kubeconfig: opts.kubeconfig, context };
    const releases = releaseSource(cluster, ports.helm, ports.env);
    const discoveryNotes: string[] = [];
    /** Where the helm wrapper notes a failure: discovery's notes, then each examination's. */
    let notesSink = discoveryNotes;
    /** What discovery's helm list answered: the first examination reads the release from it, not from another helm process. */
    let listed: { namespace: string | undefined; releases: HelmRelease[] } | undefined;
    let discovering = true;
    // Without helm the Deployments and our Secrets still find the installs.
    const prefetched = early && context === opts.context ? early : undefined;
    const helm = {
      listReleases: async (t: typeof target, ns?: string) => {
        if (listed && (listed.namespace === undefined || listed.namespace === ns))
          return listed.releases.filter((r) => ns === undefined || r.namespace === ns);
        const fromEarly = discovering && prefetched && ns === opts.namespace ? prefetched.list : undefined;
        const found = await (fromEarly ?? releases.listReleases(t, ns)).catch((err: unknown) => {
          notesSink.push(`helm releases not read: ${(err as Error).message}`);
          return undefined;
        });
        if (found && discovering) listed = { namespace: ns, releases: found };
        return found ?? [];
      },
      history: (ref: Parameters<typeof ports.helm.history>[0]) => {
        // The early history belongs to the first examination (a fix may change the release).
        return listed !== undefined && prefetched ? prefetched.history(ref.namespace, ref.release) : releases.history(ref);
      },
    };
    const installs = await steps.run(
      'discover',
      'Agent installs',
      async (ctl) => {
        const found = await findInstalls(cluster, helm, target, opts.namespace);
        ctl.detail(`${found.length} found`);
        return found;
      },
      'a Kubernetes request',
    );
    discovering = false;
    const install = await chooseInstall(installs, { release: opts.release, namespace: opts.namespace, verb: 'troubleshoot' }, context, io);
    const name = installName(install);

    /** Progress per layer (gitlab, flux, workload, connection) for the screen. */
    let layers: LayerTracker | undefined;
    /** Reads everything and diagnoses; run once, and once more after a fix. */
    const examine = async (again: { id: string; title: string }) => {
      const notes = [...discoveryNotes];
      notesSink = notes;
      if (layers) layers.reset();
      else layers = new LayerTracker(io.emit);
      const progress = layers;
      progress.note('connection', 'waiting for the Deployment');
      const clusterReadings = steps.run(
        `cluster${again.id}`,
        `Kubernetes: release, Deployment, pods, events, Secret, logs, Flux${again.title}`,
        async (ctl) => {
          progress.running('workload', 'reading the release, Deployment, pods, events, Secret, logs');
          progress.running('flux', 'reading the Flux objects');
          const r = await collectCluster(cluster, helm, target, install, notes);
          progress.note(
            'workload',
            `read ${r.pods?.length ?? 0} pod${r.pods?.length === 1 ? '' : 's'}, ${r.logs?.reduce((n, c) => n + c.lines.length, 0) ?? 0} log lines`,
          );
          progress.note('flux', r.flux?.managed ? 'read: Flux-managed' : 'read: not Flux-managed');
          ctl.detail(
            `${r.pods?.length ?? 0} pod${r.pods?.length === 1 ? '' : 's'}, ${r.logs?.reduce((n, c) => n + c.lines.length, 0) ?? 0} log lines${r.flux?.managed ? ', Flux-managed' : ''}`,
          );
          return r;
        },
        'Kubernetes requests',
      );
      const gitlab = steps.run(
        `gitlab${again.id}`,
        `GitLab: token, KAS, agent registration, agent token${again.title}`,
        async (ctl): Promise<{ look: GitLabLook; readings?: GitLabReadings }> => {
          progress.running('gitlab', 'asking GitLab');
          const look = await connectForDiagnosis(opts.gitlabUrl, install, local.gitlabCa, ports, io);
          if ('notAsked' in look) {
            progress.note('gitlab', 'not asked');
            ctl.skip(`not asked (${look.notAsked}): the GitLab checks skip`);
            return { look };
          }
          if (!look.session) {
            ctl.detail(
              `${look.readings.url}: ${look.readings.unreachable?.error ?? look.readings.user?.message ?? look.readings.metadataError ?? 'answered'}`,
            );
            return { look, readings: look.readings };
          }
          const secret = (await clusterReadings.catch(() => undefined))?.tokenSecret;
          const tokenId = secret === undefined ? undefined : secret === null ? undefined : (secret.tokenId ?? null);
          const agent = await lookUpAgent(look.session.client, install, opts.project, tokenId, notes);
          ctl.detail(
            `${look.session.client.url} · GitLab ${look.session.metadata.version}${agent.agent ? ` · agent ${agent.agent.name} in ${agent.agent.projectPath}` : ''}`,
          );
          return { look, readings: { ...look.readings, ...agent } };
        },
        'a GitLab request',
      );
      const probed = steps.run(
        `local${again.id}`,
        `This machine: DNS, TCP, TLS, WebSocket upgrade to KAS${again.title}`,
        async (ctl): Promise<LocalLook> => {
          const r = await clusterReadings.catch(() => undefined);
          progress.running('connection', "agentk's logs; probing KAS from this machine");
          const look = await probeKasFromHere(
            ports.network,
            r?.deployment ? deploymentEvidence(r.deployment) : undefined,
            r?.kasCa,
            io.signal,
          );
          if ('skipped' in look) ctl.skip(look.skipped);
          else ctl.detail(localDetail(look));
          return look;
        },
        'network probes',
      );
      const [readings, gl, here] = await Promise.all([clusterReadings, gitlab, probed]);

      const notCollected = [...notes];
      if ('notAsked' in gl.look) notCollected.push(`GitLab was not asked (${gl.look.notAsked}): set GITLAB_TOKEN, or log in with glab`);
      if ('skipped' in here) notCollected.push(here.skipped);
      else notCollected.push(...here.notes);
      const agentName = gl.readings?.agent?.name ?? install.token?.agentName;
      const evidence = toEvidence(
        new Date(ports.clock.now()).toISOString(),
        {
          kubeContext: context,
          namespace: install.namespace,
          ...(install.release ? { release: install.release } : {}),
          ...(agentName ? { agentName } : {}),
          ...(gl.readings?.agent?.projectPath ? { projectPath: gl.readings.agent.projectPath } : {}),
          ...(gl.readings?.url ? { gitlabUrl: gl.readings.url } : {}),
        },
        readings,
        gl.readings,
        'local' in here ? here.local : undefined,
      );
      const diagnosis = await steps.run(`diagnose${again.id}`, `Diagnosis${again.title}`, async (ctl) => {
        const d = diagnose(evidence);
        progress.finish(d.findings);
        ctl.detail(d.rootCause ? `root cause ${d.rootCause.id} (${d.rootCause.category})` : d.category);
        return d;
      });
      const fixes = proposeFixes(causalChain(diagnosis.findings), evidence);
      return { diagnosis, gl, agentName, notCollected, fixes, readings };
    };

    const first = await examine({ id: '', title: '' });
    let final = first;
    const fixLines: string[] = [];
    let fixApplied: TroubleshootInstall['fixApplied'];
    const root = first.diagnosis.rootCause;
    const proposal = first.fixes[0];
    const applicable = root !== null && proposal !== undefined && canApply(proposal);
    // Without --fix, a terminal run is offered the fix (default no: flag mode and --output json stay read-only).
    const offered = !opts.fix && applicable && io.asker.cannotAsk === undefined && opts.output !== 'json';
    let apply = false;
    if (opts.fix) {
      const rootFinding = root ? first.diagnosis.findings.find((f) => f.id === root.id) : undefined;
      if (!root) fixLines.push('--fix: nothing to fix, no check failed.');
      else if (!applicable)
        fixLines.push(`--fix: this version applies no fix for ${root.category}${rootFinding?.fix ? `; by hand: ${rootFinding.fix}` : ''}`);
      else {
        const word = install.release ?? install.namespace;
        await io.asker.ask({
          kind: 'input',
          id: 'fix',
          message: `Root cause ${root.category}: type ${word} to ${describeFix(proposal)}`,
          help: 'This changes the cluster (and creates a token in GitLab for a token fix); then everything is checked again.',
          validate: (v) => (v.trim() === word ? undefined : `type "${word}" exactly to apply the fix, or press ctrl-c to stop`),
          yesAnswer: word,
        });
        apply = true;
      }
    } else if (offered) {
      const picked = await io.asker.ask({
        kind: 'select',
        id: 'offer-fix',
        flag: '--fix',
        message: `Root cause ${root.category}: apply its fix now?`,
        help: 'Then everything is checked again. The report follows either way.',
        choices: [
          { value: 'no', label: 'no', hint: 'change nothing' },
          { value: 'fix', label: 'yes, fix it', hint: describeFix(proposal) },
        ],
        default: 'no',
      });
      apply = picked === 'fix';
    }
    if (apply && root && proposal) {
      const result = await applyFix(
        proposal,
        {
          install,
          context,
          cluster,
          gitlab: first.gl.readings,
          gitlabUrl: opts.gitlabUrl,
          gitlabCa: local.gitlabCa,
          revokeToken: opts.revokeToken,
        },
        ledger,
        steps,
        ports,
        io,
      );
      fixApplied = { kind: proposal.kind, result, rootCauseBefore: root };
      fixLines.push(`Fixed ${root.category}: ${result}.`);
      // After a fix, helm is asked afresh.
      listed = undefined;
      final = await examine({ id: ':again', title: ' (after the fix)' });
    }

    const { diagnosis, gl, agentName, notCollected, fixes, readings } = final;
    const data: TroubleshootResult = {
      schemaVersion: 1,
      context,
      gitlab: gl.readings ? { url: gl.readings.url, ...(gl.readings.metadata ? { version: gl.readings.metadata.version } : {}) } : null,
      installs: [
        {
          ...installResult({ namespace: install.namespace, release: install.release, agent: agentName }, diagnosis, fixes, notCollected),
          ...(fixApplied ? { fixApplied } : {}),
        },
      ],
    };
    const bundleLines: string[] = [];
    if (opts.bundle) {
      const path = opts.bundle;
      await steps.run(
        'bundle',
        `Support bundle ${path}`,
        async (ctl) => {
          const entries = bundleContents({
            at: new Date(ports.clock.now()).toISOString(),
            result: data,
            cluster: readings,
            gitlab: gl.readings,
            runLog: [...runLog],
          });
          await ports.files.writeArchive(path, entries);
          ctl.detail(`${entries.length} files, every token masked`);
        },
        'writing a file',
      );
      bundleLines.push(`Support bundle: ${path} (tokens and Secret values masked).`);
    }
    const finalRoot = diagnosis.rootCause ? diagnosis.findings.find((f) => f.id === diagnosis.rootCause!.id) : undefined;
    return {
      exitCode: finalRoot ? ExitCode.failure : ExitCode.ok,
      headline: headlineOf(`${context} · ${name}`, diagnosis),
      details: [
        ...fixLines,
        ...bundleLines,
        ...(finalRoot
          ? [
              finalRoot.cause,
              ...(finalRoot.fix ? [`Fix: ${finalRoot.fix}`] : []),
              ...(finalRoot.docsUrl ? [`Docs: ${finalRoot.docsUrl}`] : []),
            ]
          : []),
      ],
      ledger: ledger.entries,
      data,
      sections: resultSections(diagnosis, notCollected),
    };
  } catch (err) {
    return toOutcome(err, ledger.entries) as FlowOutcome<TroubleshootResult>;
  }
}

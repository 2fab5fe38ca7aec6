import type { LedgerEntry, ReviewItem } from '../kernel/events.js';
import type { FlowIO } from '../kernel/io.js';
import type { Ledger } from '../kernel/ledger.js';
import type { AgentSettings } from '../plan/agent-settings.js';
import type { AgentTarget } from '../plan/agent-target.js';
import type { Method } from '../plan/choices.js';
import type { GitLabClient, GitLabMetadata } from '../ports/gitlab.js';
import type { Ports } from '../ports/index.js';
import type { KubeCluster } from '../ports/kube/index.js';
import type { NeededAccess } from '../steps/check/access.js';
import type { RenderedObject } from '../plan/rendered-access.js';
import type { WorkloadRef } from '../steps/verify/await-ready.js';
import type { InstallOptions } from '../flows/install/options.js';

/** What a delivery's questions may read: the answers so far and the run's inputs. */
interface DeliveryAskContext {
  opts: InstallOptions;
  io: FlowIO;
  agentName: string;
}

/** What a delivery's read-only checks may use; `cluster` is absent in a dry run of an unreachable context. */
export interface DeliveryCheckContext<P> {
  ports: Ports;
  io: FlowIO;
  cluster: KubeCluster;
  target: AgentTarget;
  settings: AgentSettings;
  plan: P;
  namespaceExists: boolean;
  /** The signed-in GitLab, for deliveries that read or write the repository (Flux) or gate on the tier (receptive). */
  gitlab: GitLabClient;
  metadata: GitLabMetadata;
  /** The project's default branch, when GitLab reports one. */
  defaultBranch?: string;
  /** True in a dry run and an export: look, never ask to change anything. */
  dryRun: boolean;
}

export interface DeliveryCheck<S> {
  /** What the delivery found (e.g. the release and its revision). */
  state: S;
  /** Lines for the user before the review. */
  notes: string[];
  /** True when the workload already exists and will be changed (a re-run): new tokens must roll the pods. */
  upgrading: boolean;
}

/** What a delivery will create, rendered with the run's exact inputs (helm: `helm template`). */
export interface Rendered {
  objects: RenderedObject[];
  /** Applied server-side (a patch that may create), as helm 4 does. */
  serverSideApply: boolean;
}

export interface DeliveryApplyContext<P, S> {
  opts: InstallOptions;
  ports: Ports;
  io: FlowIO;
  cluster: KubeCluster;
  target: AgentTarget;
  settings: AgentSettings;
  plan: P;
  /** What preflight found; apply may add what it learns (a commit id) for verify to read. */
  state: S;
  ledger: Ledger;
  gitlab: GitLabClient;
  /** The registered agent (known only now when this run registered it). */
  agentId: number;
}

/** What a delivery's own wait (Flux conditions) may use, after apply. */
export interface DeliveryVerifyContext<P, S> {
  ports: Ports;
  io: FlowIO;
  cluster: KubeCluster;
  target: AgentTarget;
  plan: P;
  state: S;
  timeoutMs: number;
}

/**
 * One way to put the agent into a cluster (Helm today; Flux, plain manifests and receptive agents
 * next). The install flow owns everything shared — target, settings, agent registration, token,
 * readiness and connection — and asks the delivery only for what differs.
 */
export interface Delivery<P, S> {
  readonly method: Method;
  /** For the method question: "Helm", and why to pick it. */
  readonly label: string;
  readonly hint: string;
  /** What works while it applies ("helm"): what a cancel stops. */
  readonly activity: string;
  /** The step that checks local tools (helm ≥ 3.6), before anything is asked of GitLab. */
  readonly tools?: {
    step: string;
    title: string;
    check(ports: Ports, dryRun: boolean, io: FlowIO): Promise<{ detail?: string; skipped?: string }>;
  };
  /** Refuses options it cannot honour (helm's --set for a package we render), right after the method is chosen. */
  validate?(opts: InstallOptions): void;
  /** Its own name for the workload (helm: the release), asked right after the namespace. */
  askName(c: DeliveryAskContext): Promise<string>;
  /** Its own version answers (helm: the chart version), asked right after the image tag. */
  askVersion(c: DeliveryAskContext): Promise<string | undefined>;
  /** Answers only this delivery needs (receptive: the address GitLab dials), merged into the options before plan. */
  askExtras?(c: DeliveryAskContext): Promise<Partial<InstallOptions>>;
  plan(opts: InstallOptions, name: string, version: string | undefined): P;
  /** The name the workload goes by (token names and messages use it). */
  nameOf(plan: P): string;
  /** A short description for the options step's detail line. */
  summary(target: AgentTarget, plan: P): string;
  /** Rights it needs in this cluster, each with why; checked before anything else is looked at. */
  requiredAccess(target: AgentTarget, settings: AgentSettings, plan: P, namespaceExists: boolean): NeededAccess[];
  /**
   * Renders what it will create with the exact inputs, locally (helm template), before any right is checked:
   * what does not render is bad input; every object rendered becomes a right to check.
   */
  render?(c: DeliveryCheckContext<P>): Promise<Rendered>;
  /** Read-only look at what exists (helm: the release and who owns it), with any question that depends on it. */
  preflight(c: DeliveryCheckContext<P>): Promise<DeliveryCheck<S>>;
  /** Review rows about the delivery, placed after the namespace; `extra` rows go last. */
  reviewItems(plan: P, check: DeliveryCheck<S> | undefined): { placement: ReviewItem[]; extra: ReviewItem[] };
  /** Exactly what a person could run instead, as a shell script (never the token); `state`: what preflight found, when it ran. */
  pasteable(target: AgentTarget, settings: AgentSettings, plan: P, state?: S): string;
  /** Its answers as option values (--release, --chart-version, --manifest-path…), for the equivalent command line. */
  answers(plan: P, state: S | undefined): Partial<InstallOptions>;
  /** The values or manifests a GitOps user would commit (no token in them). */
  exportText(settings: AgentSettings, plan: P, target: AgentTarget): string;
  /** Creates or updates the workload; records what it made in the ledger. */
  apply(c: DeliveryApplyContext<P, S>): Promise<void>;
  /** The apply step's title (default "helm upgrade --install"). */
  readonly applyTitle?: string;
  /** A wait of its own between apply and the pods (Flux: the Kustomization and HelmRelease conditions). */
  readonly verify?: { step: string; title: string; activity: string; run(c: DeliveryVerifyContext<P, S>): Promise<string> };
  /** The shortest connection wait that makes sense (receptive: GitLab starts dialling within 10 minutes). */
  readonly minConnectWaitMs?: number;
  /** How to remove the install afterwards, for the success report (default: helm uninstall). */
  uninstallHint?(target: AgentTarget, plan: P): string;
  /** Where its pods run and how to select them. */
  workload(target: AgentTarget, plan: P): WorkloadRef;
  /** Removes what apply created (clean-up after a failure). */
  remove(entry: LedgerEntry, target: AgentTarget, plan: P, ports: Ports, io: FlowIO): Promise<void>;
}

import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { FakeRepository } from './repository.js';
import {
  Access,
  type FakeAgent,
  type FakeAgentConnection,
  type FakeAgentToken,
  type FakeGitLabOptions,
  type FakeLicense,
  type FakeMetadata,
  type FakePersonalAccessToken,
  type FakeProject,
  type FakeTokenKind,
  type FakeUrlConfiguration,
  type FakeUser,
  type PushAccess,
  type Visibility,
} from './types.js';

export interface AddProjectInput {
  /** "group/project" or deeper; the last segment is the project path. */
  path: string;
  id?: number;
  name?: string;
  description?: string;
  defaultBranch?: string;
  visibility?: Visibility;
  /** Direct members by username: { alice: Access.maintainer }. */
  members?: Record<string, number>;
  /** Members through the parent group, by username. */
  groupMembers?: Record<string, number>;
  /** Access through a group share (invited group), by username: counts everywhere but in `permissions`. */
  sharedWith?: Record<string, number>;
  /** Who may push to the default branch; default maintainers (GitLab's "fully protected"), none = unprotected. */
  protection?: PushAccess | 'none';
  /** CI/CD feature; default on. */
  buildsEnabled?: boolean;
  /** Repository feature; default on. */
  repositoryEnabled?: boolean;
  /** Files of the first commit on the default branch; default: a README. */
  files?: Record<string, string>;
  /** No commits at all (the first write creates the default branch). */
  empty?: boolean;
}

/**
 * Everything the fake GitLab knows. Tests seed it before calling the client and inspect it after;
 * the route handlers read and change it through the same methods.
 */
export class FakeGitLabState {
  readonly users = new Map<number, FakeUser>();
  readonly personalAccessTokens = new Map<number, FakePersonalAccessToken>();
  readonly projects = new Map<number, FakeProject>();
  readonly repositories = new Map<number, FakeRepository>();
  readonly agents = new Map<number, FakeAgent>();
  readonly agentTokens = new Map<number, FakeAgentToken>();
  readonly connections: FakeAgentConnection[] = [];
  readonly urlConfigurations = new Map<number, FakeUrlConfiguration>();
  metadata: FakeMetadata;
  /** false: GET /personal_access_tokens/self does not exist (GitLab < 15.5, or a version below it). */
  personalAccessTokenSelf: boolean;
  /** false: GET /metadata does not exist (GitLab < 15.2, or a version below it). */
  metadataEndpoint: boolean;
  license: FakeLicense;
  dotCom: boolean;
  defaultBranchName: string;
  /** false: KAS does not answer GitLab (GraphQL connections fail with GRPC::Unavailable). */
  kasAvailable = true;
  /** See FakeGitLabOptions.revokedConnectionLingerMs. */
  revokedConnectionLingerMs: number;
  /** When set, each new agent token "connects" this many ms after it is created. */
  connectAfterMs: number | undefined;
  /** http(s)://127.0.0.1:port, set by the server once it listens. */
  baseUrl = '';
  readonly now: () => Date;
  readonly #ids = new Map<string, number>();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(options: FakeGitLabOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.personalAccessTokenSelf = options.personalAccessTokenSelf ?? true;
    this.metadataEndpoint = options.metadataEndpoint ?? true;
    this.license = options.license ?? 'ultimate';
    this.dotCom = options.dotCom ?? false;
    this.defaultBranchName = options.defaultBranchName ?? 'main';
    this.revokedConnectionLingerMs = options.revokedConnectionLingerMs ?? 0;
    this.connectAfterMs = options.connectAfterMs;
    this.metadata = {
      version: options.metadata?.version ?? '17.6.2-ee',
      revision: options.metadata?.revision ?? 'f4ke0000',
      enterprise: options.metadata?.enterprise ?? true,
      kas: {
        enabled: true,
        externalUrl: null,
        externalK8sProxyUrl: null,
        version: '17.6.2',
        ...options.metadata?.kas,
      },
    };
  }

  timestamp(): string {
    return this.now().toISOString();
  }

  /** Whether the simulated GitLab (metadata.version) is at least major.minor. */
  atLeast(major: number, minor: number): boolean {
    const match = /^(\d+)\.(\d+)/.exec(this.metadata.version);
    if (!match) return true;
    const [have, haveMinor] = [Number(match[1]), Number(match[2])];
    return have > major || (have === major && haveMinor >= minor);
  }

  /** ApplicationSetting#receptive_cluster_agents_enabled: Ultimate, self-managed, 17.4+. */
  receptiveAgentsEnabled(): boolean {
    return this.metadata.enterprise && this.license === 'ultimate' && !this.dotCom && this.atLeast(17, 4);
  }

  nextId(kind: string): number {
    const id = (this.#ids.get(kind) ?? 0) + 1;
    this.#ids.set(kind, id);
    return id;
  }

  // ---- seeding -------------------------------------------------------------------------------

  addUser(input: { username: string; name?: string; admin?: boolean; id?: number }): FakeUser {
    const user: FakeUser = {
      id: input.id ?? this.nextId('user'),
      username: input.username,
      name: input.name ?? input.username,
      admin: input.admin ?? false,
      createdAt: this.timestamp(),
    };
    this.users.set(user.id, user);
    return user;
  }

  /** A personal access token for `user`; `value` defaults to a random glpat-FAKE-… string. */
  addPersonalAccessToken(
    user: FakeUser,
    input: {
      scopes?: string[];
      name?: string;
      value?: string;
      revoked?: boolean;
      expiresAt?: string | null;
      /** OAuthAccessToken: what glab stores after `glab auth login`; default a personal access token. */
      kind?: FakeTokenKind;
    } = {},
  ): FakePersonalAccessToken {
    const token: FakePersonalAccessToken = {
      id: this.nextId('pat'),
      userId: user.id,
      kind: input.kind ?? 'PersonalAccessToken',
      name: input.name ?? 'fake-token',
      value: input.value ?? `glpat-FAKE-${randomBytes(15).toString('base64url')}`,
      scopes: input.scopes ?? ['api'],
      revoked: input.revoked ?? false,
      expiresAt: input.expiresAt ?? null,
      createdAt: this.timestamp(),
      lastUsedAt: null,
    };
    this.personalAccessTokens.set(token.id, token);
    return token;
  }

  addProject(input: AddProjectInput): FakeProject {
    const segments = input.path.split('/');
    const path = segments.pop();
    if (!path || segments.length === 0) throw new Error(`project path needs a namespace: ${input.path}`);
    const defaultBranch = input.defaultBranch ?? this.defaultBranchName;
    const protection = input.protection ?? 'maintainers';
    const project: FakeProject = {
      id: input.id ?? this.nextId('project'),
      name: input.name ?? path,
      path,
      namespace: segments.join('/'),
      description: input.description ?? null,
      defaultBranch,
      visibility: input.visibility ?? 'private',
      members: this.#levelsByUsername(input.members),
      groupMembers: this.#levelsByUsername(input.groupMembers),
      shareMembers: this.#levelsByUsername(input.sharedWith),
      protectedBranches: new Map(protection === 'none' ? [] : [[defaultBranch, protection]]),
      buildsEnabled: input.buildsEnabled ?? true,
      repositoryEnabled: input.repositoryEnabled ?? true,
      createdAt: this.timestamp(),
      lastActivityAt: this.timestamp(),
    };
    this.projects.set(project.id, project);
    const repository = new FakeRepository();
    this.repositories.set(project.id, repository);
    if (!input.empty) {
      const files = input.files ?? { 'README.md': `# ${project.name}\n` };
      repository.commit({
        branch: project.defaultBranch,
        message: 'Initial commit',
        authorName: 'Fake GitLab',
        authorEmail: 'fake@gitlab.invalid',
        createdAt: this.timestamp(),
        actions: Object.entries(files).map(([filePath, content]) => ({ action: 'create', filePath, content })),
      });
    }
    return project;
  }

  addMember(project: FakeProject, user: FakeUser, level: number): void {
    project.members.set(user.id, level);
  }

  /** Protects `branch` (or changes who may push to it). */
  protectBranch(project: FakeProject, branch: string, push: PushAccess): void {
    project.protectedBranches.set(branch, push);
  }

  addAgent(project: FakeProject, name: string, createdBy?: FakeUser): FakeAgent {
    const agent: FakeAgent = {
      id: this.nextId('agent'),
      projectId: project.id,
      name,
      createdAt: this.timestamp(),
      createdByUserId: createdBy?.id ?? 1,
    };
    this.agents.set(agent.id, agent);
    return agent;
  }

  /** A token as POST …/tokens makes it; also schedules the simulated connection when asked to. */
  addAgentToken(
    agent: FakeAgent,
    input: { name: string; description?: string | null; createdBy?: FakeUser; lastUsedAt?: string | null } = {
      name: 'token',
    },
  ): FakeAgentToken {
    const token: FakeAgentToken = {
      id: this.nextId('agentToken'),
      agentId: agent.id,
      name: input.name,
      description: input.description ?? null,
      status: 'active',
      createdAt: this.timestamp(),
      createdByUserId: input.createdBy?.id ?? agent.createdByUserId,
      lastUsedAt: input.lastUsedAt ?? null,
      value: `glagent-FAKE-${randomBytes(30).toString('base64url')}`,
    };
    this.agentTokens.set(token.id, token);
    if (this.connectAfterMs !== undefined) this.#schedule(token, this.connectAfterMs);
    return token;
  }

  /** Writes a file straight into a branch (one commit), bypassing permissions. */
  setFile(project: FakeProject, path: string, content: string, branch = project.defaultBranch): void {
    const repository = this.repository(project);
    const exists = repository.readFile(branch, path) !== undefined;
    repository.commit({
      branch,
      startBranch: repository.branches.has(branch) || repository.empty ? undefined : project.defaultBranch,
      message: `Seed ${path}`,
      authorName: 'Fake GitLab',
      authorEmail: 'fake@gitlab.invalid',
      createdAt: this.timestamp(),
      actions: [{ action: exists ? 'update' : 'create', filePath: path, content }],
    });
  }

  /** A file's text on a branch or commit, or undefined. */
  file(project: FakeProject, path: string, ref = project.defaultBranch): string | undefined {
    return this.repository(project).readFile(ref, path)?.content;
  }

  // ---- lookups -------------------------------------------------------------------------------

  pathWithNamespace(project: FakeProject): string {
    return `${project.namespace}/${project.path}`;
  }

  repository(project: FakeProject): FakeRepository {
    const repository = this.repositories.get(project.id);
    if (!repository) throw new Error(`no repository for project ${project.id}`);
    return repository;
  }

  tokenByValue(value: string): FakePersonalAccessToken | undefined {
    for (const token of this.personalAccessTokens.values()) if (token.value === value) return token;
    return undefined;
  }

  /** By numeric id or by full path (GitLab matches paths case-insensitively). */
  findProject(idOrPath: string): FakeProject | undefined {
    if (/^\d+$/.test(idOrPath)) return this.projects.get(Number(idOrPath));
    const wanted = idOrPath.toLowerCase();
    for (const project of this.projects.values()) {
      if (this.pathWithNamespace(project).toLowerCase() === wanted) return project;
    }
    return undefined;
  }

  /** Effective access: the highest of project, group and share membership; admins count as Owner. */
  accessLevel(project: FakeProject, user: FakeUser | undefined): number {
    if (!user) return Access.none;
    const level = Math.max(
      project.members.get(user.id) ?? 0,
      project.groupMembers.get(user.id) ?? 0,
      project.shareMembers.get(user.id) ?? 0,
    );
    return user.admin ? Math.max(level, Access.owner) : level;
  }

  /** Authorized projects, shares included (what membership=true and min_access_level search). */
  isMember(project: FakeProject, user: FakeUser | undefined): boolean {
    if (!user) return false;
    return project.members.has(user.id) || project.groupMembers.has(user.id) || project.shareMembers.has(user.id);
  }

  /** :read_code: anyone on a public project, else Reporter+; never with the repository disabled. */
  canReadCode(project: FakeProject, user: FakeUser | undefined): boolean {
    if (!project.repositoryEnabled) return false;
    return project.visibility === 'public' || this.accessLevel(project, user) >= Access.reporter;
  }

  canSee(project: FakeProject, user: FakeUser | undefined): boolean {
    if (project.visibility === 'public') return true;
    if (!user) return false;
    return user.admin || project.visibility === 'internal' || this.isMember(project, user);
  }

  agentsOf(project: FakeProject): FakeAgent[] {
    return [...this.agents.values()].filter((agent) => agent.projectId === project.id).sort((a, b) => a.name.localeCompare(b.name));
  }

  activeTokens(agent: FakeAgent): FakeAgentToken[] {
    return [...this.agentTokens.values()].filter((t) => t.agentId === agent.id && t.status === 'active');
  }

  connectionsOf(agent: FakeAgent): FakeAgentConnection[] {
    return this.connections.filter((c) => c.agentId === agent.id);
  }

  /** The agent's URL configuration (GitLab allows one per agent for now). */
  urlConfigurationOf(agent: FakeAgent): FakeUrlConfiguration | undefined {
    return [...this.urlConfigurations.values()].find((c) => c.agentId === agent.id);
  }

  /** EE's Clusters::Agent#is_receptive: set while the agent has a URL configuration. */
  isReceptive(agent: FakeAgent): boolean {
    return this.urlConfigurationOf(agent) !== undefined;
  }

  // ---- changes the routes make ---------------------------------------------------------------

  deleteAgent(agent: FakeAgent): void {
    this.agents.delete(agent.id);
    const urlConfiguration = this.urlConfigurationOf(agent);
    if (urlConfiguration) this.urlConfigurations.delete(urlConfiguration.id);
    for (const token of [...this.agentTokens.values()]) {
      if (token.agentId === agent.id) this.agentTokens.delete(token.id);
    }
    this.disconnect(agent.id);
  }

  /** Revokes at once in the database; KAS drops the token's connections after revokedConnectionLingerMs. */
  revokeAgentToken(token: FakeAgentToken): void {
    token.status = 'revoked';
    const drop = () => {
      for (let i = this.connections.length - 1; i >= 0; i--) {
        if (this.connections[i]?.tokenId === token.id) this.connections.splice(i, 1);
      }
    };
    if (this.revokedConnectionLingerMs <= 0) drop();
    else this.#later(this.revokedConnectionLingerMs, drop);
  }

  /**
   * Clusters::Agents::CreateUrlConfigurationService: without a client key GitLab generates an Ed25519
   * key pair and keeps only the public half visible.
   */
  addUrlConfiguration(
    agent: FakeAgent,
    input: { url: string; caCert?: string; clientCert?: string; clientKey?: string; tlsHost?: string; createdBy?: FakeUser },
  ): FakeUrlConfiguration {
    const certificateAuth = input.clientKey !== undefined;
    const configuration: FakeUrlConfiguration = {
      id: this.nextId('urlConfiguration'),
      agentId: agent.id,
      projectId: agent.projectId,
      url: input.url,
      caCert: input.caCert || null,
      clientCert: certificateAuth ? input.clientCert || null : null,
      clientKey: certificateAuth ? input.clientKey || null : null,
      tlsHost: input.tlsHost || null,
      publicKey: certificateAuth ? null : rawEd25519PublicKey(),
      createdByUserId: input.createdBy?.id ?? agent.createdByUserId,
    };
    this.urlConfigurations.set(configuration.id, configuration);
    return configuration;
  }

  // ---- simulated agentk ----------------------------------------------------------------------

  /**
   * Pretends agentk connected with the agent's newest active token: sets that token's last_used_at
   * (what REST shows) and adds a KAS connection (what GraphQL shows).
   */
  markConnected(
    agentId: number,
    options: { version?: string; podName?: string; podNamespace?: string; at?: Date; tokenId?: number } = {},
  ): FakeAgentConnection {
    const agent = this.agents.get(agentId);
    if (!agent) throw new Error(`no agent ${agentId}`);
    const token =
      options.tokenId === undefined
        ? this.activeTokens(agent).sort((a, b) => b.id - a.id)[0]
        : this.activeTokens(agent).find((t) => t.id === options.tokenId);
    if (!token) throw new Error(`agent ${agentId} has no active token ${options.tokenId ?? ''} to connect with`);
    const at = (options.at ?? this.now()).toISOString();
    token.lastUsedAt = at;
    const connection: FakeAgentConnection = {
      agentId,
      tokenId: token.id,
      connectionId: randomInt(1, 2 ** 47),
      connectedAt: at,
      metadata: {
        version: options.version ?? this.#agentVersion(),
        commit: 'f4ke0c0m',
        podName: options.podName ?? `gitlab-agent-v2-${randomBytes(4).toString('hex')}-${randomBytes(3).toString('hex')}`,
        podNamespace: options.podNamespace ?? 'gitlab-agent',
      },
      warnings: [],
    };
    this.connections.push(connection);
    return connection;
  }

  disconnect(agentId: number): void {
    for (let i = this.connections.length - 1; i >= 0; i--) {
      if (this.connections[i]?.agentId === agentId) this.connections.splice(i, 1);
    }
  }

  /** Stops pending simulated connections (the server calls it on close). */
  dispose(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #schedule(token: FakeAgentToken, ms: number): void {
    this.#later(ms, () => {
      if (token.status === 'active' && this.agents.has(token.agentId)) this.markConnected(token.agentId, { tokenId: token.id });
    });
  }

  #later(ms: number, work: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      work();
    }, ms);
    timer.unref();
    this.#timers.add(timer);
  }

  /** agentk tags look like v17.6.0: KAS's major.minor.patch, else GitLab's. */
  #agentVersion(): string {
    const match = /^(\d+\.\d+\.\d+)/.exec(this.metadata.kas.version ?? this.metadata.version);
    return `v${match?.[1] ?? '0.0.0'}`;
  }

  #levelsByUsername(levels: Record<string, number> | undefined): Map<number, number> {
    const result = new Map<number, number>();
    for (const [username, level] of Object.entries(levels ?? {})) {
      const user = [...this.users.values()].find((u) => u.username === username);
      if (!user) throw new Error(`unknown user ${username}: add users before projects`);
      result.set(user.id, level);
    }
    return result;
  }
}

/** 32 raw bytes, as Ed25519::VerifyKey#to_bytes gives them (the SPKI DER ends with the key). */
function rawEd25519PublicKey(): Buffer {
  const { publicKey } = generateKeyPairSync('ed25519');
  return publicKey.export({ type: 'spki', format: 'der' }).subarray(-32);
}

import { createHash, randomBytes } from 'node:crypto';

/** A git commit as the fake keeps it: a full snapshot of the tree (repositories here are tiny). */
export interface FakeCommit {
  id: string;
  parentIds: string[];
  message: string;
  authorName: string;
  authorEmail: string;
  createdAt: string;
  tree: Map<string, string>;
  stats: { additions: number; deletions: number; total: number };
}

export type CommitAction =
  | { action: 'create' | 'update'; filePath: string; content: string; lastCommitId?: string }
  | { action: 'delete'; filePath: string; lastCommitId?: string }
  | { action: 'move'; filePath: string; previousPath: string; content?: string; lastCommitId?: string }
  | { action: 'chmod'; filePath: string };

/** Raised for the errors GitLab's Commits::CreateService reports as 400 with this message. */
export class RepositoryError extends Error {}

/** Branches and commits of one project. */
export class FakeRepository {
  readonly commits = new Map<string, FakeCommit>();
  readonly branches = new Map<string, string>();

  get empty(): boolean {
    return this.branches.size === 0;
  }

  /** The commit a branch name or commit id points at. */
  resolve(ref: string): FakeCommit | undefined {
    const id = this.branches.get(ref) ?? ref;
    return this.commits.get(id);
  }

  readFile(ref: string, path: string): { content: string; commit: FakeCommit; lastCommitId: string } | undefined {
    const commit = this.resolve(ref);
    const content = commit?.tree.get(path);
    if (!commit || content === undefined) return undefined;
    return { content, commit, lastCommitId: this.lastCommitTouching(commit, path) };
  }

  /** The newest commit on the history of `from` that changed `path`. */
  lastCommitTouching(from: FakeCommit, path: string): string {
    let current = from;
    for (;;) {
      const parent = current.parentIds[0] ? this.commits.get(current.parentIds[0]) : undefined;
      if (!parent || parent.tree.get(path) !== current.tree.get(path)) return current.id;
      current = parent;
    }
  }

  /**
   * Applies the actions as one commit on `branch`. A missing branch is created from `startBranch`,
   * or from nothing when the repository is still empty (GitLab's rules for the files/commits API).
   */
  commit(input: {
    branch: string;
    startBranch?: string;
    message: string;
    authorName: string;
    authorEmail: string;
    createdAt: string;
    actions: CommitAction[];
  }): FakeCommit {
    let parent = this.resolve(input.branch);
    if (!this.branches.has(input.branch)) {
      if (input.startBranch !== undefined) {
        parent = this.resolve(input.startBranch);
        if (!parent) throw new RepositoryError(`Invalid start branch: ${input.startBranch}`);
      } else if (!this.empty) {
        throw new RepositoryError('You can only create or edit files when you are on a branch');
      }
    }
    const tree = new Map(parent?.tree ?? []);
    let additions = 0;
    let deletions = 0;
    for (const step of input.actions) {
      const existing = tree.get(step.filePath);
      if ('lastCommitId' in step && step.lastCommitId && parent && step.action !== 'create') {
        if (existing !== undefined && this.lastCommitTouching(parent, step.filePath) !== step.lastCommitId) {
          throw new RepositoryError('You are attempting to update a file that has changed since you started editing it.');
        }
      }
      switch (step.action) {
        case 'create':
          if (existing !== undefined) throw new RepositoryError('A file with this name already exists');
          tree.set(step.filePath, step.content);
          additions += lines(step.content);
          break;
        case 'update':
          if (existing === undefined) throw new RepositoryError("A file with this name doesn't exist");
          tree.set(step.filePath, step.content);
          additions += lines(step.content);
          deletions += lines(existing);
          break;
        case 'delete':
          if (existing === undefined) throw new RepositoryError("A file with this name doesn't exist");
          tree.delete(step.filePath);
          deletions += lines(existing);
          break;
        case 'move': {
          const moved = tree.get(step.previousPath);
          if (moved === undefined) throw new RepositoryError("A file with this name doesn't exist");
          if (existing !== undefined) throw new RepositoryError('A file with this name already exists');
          tree.delete(step.previousPath);
          tree.set(step.filePath, step.content ?? moved);
          break;
        }
        case 'chmod':
          if (existing === undefined) throw new RepositoryError("A file with this name doesn't exist");
          break;
      }
    }
    const commit: FakeCommit = {
      id: randomBytes(20).toString('hex'),
      parentIds: parent ? [parent.id] : [],
      message: input.message,
      authorName: input.authorName,
      authorEmail: input.authorEmail,
      createdAt: input.createdAt,
      tree,
      stats: { additions, deletions, total: additions + deletions },
    };
    this.commits.set(commit.id, commit);
    this.branches.set(input.branch, commit.id);
    return commit;
  }
}

/** git's blob id: sha1("blob <size>\0<content>"). */
export function blobId(content: string): string {
  const bytes = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** Lines as git counts them: a trailing newline ends the last line, it does not start another. */
function lines(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

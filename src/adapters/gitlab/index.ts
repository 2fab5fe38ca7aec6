import type { GitLabPort } from '../../core/ports/gitlab.js';
import { GitbeakerClient } from './gitbeaker-client.js';

/** The real GitLab: connect() is cheap; @gitbeaker/rest loads on the first request. */
export function createGitLabPort(): GitLabPort {
  return { connect: (connection) => new GitbeakerClient(connection) };
}

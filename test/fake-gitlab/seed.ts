import type { FakeGitLabState } from './state.js';
import { Access, type FakePersonalAccessToken, type FakeProject, type FakeUser } from './types.js';

export interface StandardWorld {
  project: FakeProject;
  maintainer: FakeUser;
  developer: FakeUser;
  outsider: FakeUser;
  /** Token values to send, by role. */
  tokens: {
    /** maintainer, scope api */
    api: string;
    /** maintainer, scope read_api only */
    readApi: string;
    /** maintainer, scope read_user only */
    readUser: string;
    /** developer, scope api */
    developer: string;
    /** not a member of the project, scope api */
    outsider: string;
  };
  pats: Record<'api' | 'readApi' | 'readUser' | 'developer' | 'outsider', FakePersonalAccessToken>;
}

/**
 * The usual cast: a private project group/app with a Maintainer, a Developer and an outsider,
 * each with tokens of the scopes tests need. Values look like glpat-FAKE-<role>.
 */
export function seedStandardWorld(state: FakeGitLabState): StandardWorld {
  const maintainer = state.addUser({ username: 'maria', name: 'Maria Maintainer' });
  const developer = state.addUser({ username: 'dev', name: 'Dev Eloper' });
  const outsider = state.addUser({ username: 'olga', name: 'Olga Outsider' });
  const project = state.addProject({
    path: 'group/app',
    name: 'App',
    members: { maria: Access.maintainer, dev: Access.developer },
  });
  const pats = {
    api: state.addPersonalAccessToken(maintainer, { value: 'glpat-FAKE-maintainer-api', scopes: ['api'] }),
    readApi: state.addPersonalAccessToken(maintainer, { value: 'glpat-FAKE-maintainer-read-api', scopes: ['read_api'] }),
    readUser: state.addPersonalAccessToken(maintainer, { value: 'glpat-FAKE-maintainer-read-user', scopes: ['read_user'] }),
    developer: state.addPersonalAccessToken(developer, { value: 'glpat-FAKE-developer-api', scopes: ['api'] }),
    outsider: state.addPersonalAccessToken(outsider, { value: 'glpat-FAKE-outsider-api', scopes: ['api'] }),
  };
  return {
    project,
    maintainer,
    developer,
    outsider,
    tokens: {
      api: pats.api.value,
      readApi: pats.readApi.value,
      readUser: pats.readUser.value,
      developer: pats.developer.value,
      outsider: pats.outsider.value,
    },
    pats,
  };
}

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { glabConfigCandidates, readGlabConfig } from '../../src/adapters/gitlab/glab-config.js';
import { Secret } from '../../src/core/kernel/secret.js';

/** What `glab auth login` writes, tokens tagged !!null the way glab stores them. */
const GLAB_CONFIG = `# What protocol to use when performing git operations.
git_protocol: ssh
editor:
host: gitlab.example.com
hosts:
    gitlab.com:
        token: !!null glpat-FAKE-dotcom
        api_host: gitlab.com
        git_protocol: ssh
        api_protocol: https
        user: maria
    GitLab.Example.com:
        token: glpat-FAKE-selfmanaged
        api_protocol: https
    code.internal:8443:
        token: "glpat-FAKE-port"
    web.example.org:
        api_host: api.example.org
        token: glpat-FAKE-apihost
    keyring.example.com:
        token: ""
    digits.example.com:
        token: 00123
check_update: false
`;

let root: string;
let home: string;

function write(path: string, content: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content, { mode: 0o600 });
}

/** An environment that sees only the temp directory (no real ~/.config, no /etc/xdg). */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { HOME: home, XDG_CONFIG_DIRS: join(root, 'etc-xdg'), ...extra };
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'glab-config-'));
  home = join(root, 'home');
  mkdirSync(home);
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('readGlabConfig', () => {
  it('reads the default host and per-host tokens as Secrets', async () => {
    write(join(home, '.config/glab-cli/config.yml'), GLAB_CONFIG);
    const config = await readGlabConfig(env());
    expect(config.host).toBe('gitlab.example.com');
    const dotcom = config.tokenFor('gitlab.com');
    expect(dotcom).toBeInstanceOf(Secret);
    expect(dotcom?.reveal()).toBe('glpat-FAKE-dotcom'); // the !!null tag is glab's, not a null
    expect(String(dotcom)).toBe('********');
  });

  it('matches hosts case-insensitively, with ports, from URLs and through api_host', async () => {
    write(join(home, '.config/glab-cli/config.yml'), GLAB_CONFIG);
    const config = await readGlabConfig(env());
    expect(config.tokenFor('gitlab.example.com')?.reveal()).toBe('glpat-FAKE-selfmanaged');
    expect(config.tokenFor('https://GITLAB.example.com/')?.reveal()).toBe('glpat-FAKE-selfmanaged');
    expect(config.tokenFor('code.internal:8443')?.reveal()).toBe('glpat-FAKE-port');
    expect(config.tokenFor('code.internal')).toBeUndefined();
    expect(config.tokenFor('api.example.org')?.reveal()).toBe('glpat-FAKE-apihost');
    expect(config.tokenFor('digits.example.com')?.reveal()).toBe('00123');
  });

  it('has no token for unknown hosts or tokens kept in the keyring', async () => {
    write(join(home, '.config/glab-cli/config.yml'), GLAB_CONFIG);
    const config = await readGlabConfig(env());
    expect(config.tokenFor('other.example.com')).toBeUndefined();
    expect(config.tokenFor('keyring.example.com')).toBeUndefined();
  });

  it('keeps http when glab was told the host speaks http', async () => {
    write(
      join(home, '.config/glab-cli/config.yml'),
      'host: gitlab.lan\nhosts:\n  gitlab.lan:\n    api_protocol: http\n    token: glpat-FAKE-lan\n',
    );
    expect((await readGlabConfig(env())).host).toBe('http://gitlab.lan');
  });

  it('uses $GLAB_CONFIG_DIR alone when it is set', async () => {
    write(join(home, '.config/glab-cli/config.yml'), GLAB_CONFIG);
    write(join(root, 'glab-dir/config.yml'), 'host: only.example.com\nhosts:\n  only.example.com:\n    token: glpat-FAKE-only\n');
    const fromDir = await readGlabConfig(env({ GLAB_CONFIG_DIR: join(root, 'glab-dir') }));
    expect(fromDir.host).toBe('only.example.com');
    expect(fromDir.tokenFor('gitlab.com')).toBeUndefined();
    // Set but empty directory: glab does not fall back to the other locations, neither do we.
    const missing = await readGlabConfig(env({ GLAB_CONFIG_DIR: join(root, 'nowhere') }));
    expect(missing.host).toBeUndefined();
    expect(missing.tokenFor('gitlab.com')).toBeUndefined();
  });

  it('prefers the legacy ~/.config/glab-cli over $XDG_CONFIG_HOME, like glab', async () => {
    const xdg = join(root, 'xdg');
    write(join(xdg, 'glab-cli/config.yml'), 'host: xdg.example.com\n');
    expect((await readGlabConfig(env({ XDG_CONFIG_HOME: xdg }))).host).toBe('xdg.example.com');
    write(join(home, '.config/glab-cli/config.yml'), 'host: legacy.example.com\n');
    expect((await readGlabConfig(env({ XDG_CONFIG_HOME: xdg }))).host).toBe('legacy.example.com');
  });

  it('tolerates a missing file and a broken one', async () => {
    const none = await readGlabConfig(env());
    expect(none.host).toBeUndefined();
    expect(none.tokenFor('gitlab.com')).toBeUndefined();
    write(join(home, '.config/glab-cli/config.yml'), 'hosts: [unclosed\n  : :');
    const broken = await readGlabConfig(env());
    expect(broken.host).toBeUndefined();
    expect(broken.tokenFor('gitlab.com')).toBeUndefined();
  });
});

describe('glabConfigCandidates', () => {
  it("follows each platform's config home", () => {
    expect(glabConfigCandidates({ HOME: '/h', XDG_CONFIG_DIRS: '/etc/xdg' }, 'linux')).toEqual([
      '/h/.config/glab-cli/config.yml',
      '/etc/xdg/glab-cli/config.yml',
    ]);
    expect(glabConfigCandidates({ HOME: '/Users/m' }, 'darwin')).toEqual([
      '/Users/m/.config/glab-cli/config.yml',
      '/Users/m/Library/Application Support/glab-cli/config.yml',
    ]);
    expect(glabConfigCandidates({ HOME: '/h', XDG_CONFIG_HOME: '/x' }, 'linux')).toEqual([
      '/h/.config/glab-cli/config.yml',
      '/x/glab-cli/config.yml',
      '/etc/xdg/glab-cli/config.yml',
    ]);
    expect(glabConfigCandidates({ GLAB_CONFIG_DIR: '/g', HOME: '/h' }, 'linux')).toEqual(['/g/config.yml']);
  });
});

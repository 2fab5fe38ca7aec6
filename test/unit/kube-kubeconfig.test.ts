import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/kernel/errors.js';
import { contextInfos, kubeconfigPaths, loadKubeconfig, resolveContext } from '../../src/adapters/kube/kubeconfig.js';
import { TempDir } from '../fake-kube/kubeconfig.js';

let dir: TempDir;
beforeEach(async () => {
  dir = await TempDir.create();
});
afterEach(async () => {
  await dir.remove();
});

const A = `
apiVersion: v1
kind: Config
clusters:
- name: shared
  cluster: {server: https://a.example:6443, certificate-authority: certs/ca.crt}
- name: only-a
  cluster: {server: https://only-a.example}
users:
- name: shared
  user:
    client-certificate: certs/user.crt
    client-key: /abs/user.key
    tokenFile: token.txt
    exec: {command: ./bin/plugin, args: [get-token]}
- name: pathless
  user:
    exec: {command: aws, args: [eks, get-token]}
contexts:
- name: shared
  context: {cluster: shared, user: shared, namespace: team-a}
- name: only-a
  context: {cluster: only-a, user: pathless}
`;

const B = `
apiVersion: v1
kind: Config
current-context: only-b
clusters:
- name: shared
  cluster: {server: https://b.example:6443}
- name: only-b
  cluster: {server: https://only-b.example}
users:
- name: shared
  user: {token: from-b}
contexts:
- name: shared
  context: {cluster: shared, user: shared, namespace: team-b}
- name: only-b
  context: {cluster: only-b, user: shared}
`;

describe('kubeconfigPaths', () => {
  it('--kubeconfig wins over KUBECONFIG and home', () => {
    expect(kubeconfigPaths({ kubeconfig: '/x/config' }, { KUBECONFIG: '/a:/b', home: '/h' })).toEqual({
      paths: ['/x/config'],
      explicit: true,
    });
  });

  it('splits KUBECONFIG on the path delimiter, dropping empty and duplicate entries', () => {
    expect(kubeconfigPaths({}, { KUBECONFIG: `/a${path.delimiter}${path.delimiter}/b${path.delimiter}/a`, home: '/h' })).toEqual({
      paths: ['/a', '/b'],
      explicit: false,
    });
  });

  it('falls back to ~/.kube/config', () => {
    expect(kubeconfigPaths({}, { home: '/h' }).paths).toEqual(['/h/.kube/config']);
  });
});

describe('loadKubeconfig', () => {
  it('merges KUBECONFIG files like kubectl: first file wins per name, missing files skipped', async () => {
    const a = await dir.write('a.yaml', A);
    const b = await dir.write('b.yaml', B);
    const missing = path.join(dir.path, 'missing.yaml');
    const merged = await loadKubeconfig({}, { KUBECONFIG: [missing, a, b].join(path.delimiter) });

    expect(merged.files).toEqual([a, b]);
    const infos = contextInfos(merged);
    expect(infos.map((c) => c.name)).toEqual(['only-a', 'only-b', 'shared']);
    // "shared" exists in both: a.yaml (first) wins for the context, its cluster and its user.
    expect(infos.find((c) => c.name === 'shared')).toEqual({
      name: 'shared',
      cluster: 'shared',
      server: 'https://a.example:6443',
      user: 'shared',
      namespace: 'team-a',
      current: false,
    });
    // a.yaml sets no current-context, so b.yaml's applies.
    expect(merged.currentContext).toBe('only-b');
    expect(infos.find((c) => c.name === 'only-b')).toMatchObject({ current: true, server: 'https://only-b.example' });
    expect(merged.users.get('shared')?.body.token).toBeUndefined();
  });

  it('takes current-context from the first file that sets it', async () => {
    const first = await dir.write('first.yaml', `${A}\ncurrent-context: only-a\n`);
    const b = await dir.write('b.yaml', B);
    const merged = await loadKubeconfig({}, { KUBECONFIG: [first, b].join(path.delimiter) });
    expect(merged.currentContext).toBe('only-a');
  });

  it('resolves file references against the kubeconfig that holds them (not PATH commands)', async () => {
    const a = await dir.write('a.yaml', A);
    const merged = await loadKubeconfig({ kubeconfig: a });
    expect(merged.clusters.get('shared')?.body['certificate-authority']).toBe(path.join(dir.path, 'certs/ca.crt'));
    const user = merged.users.get('shared')?.body;
    expect(user?.['client-certificate']).toBe(path.join(dir.path, 'certs/user.crt'));
    expect(user?.['client-key']).toBe('/abs/user.key');
    expect(user?.tokenFile).toBe(path.join(dir.path, 'token.txt'));
    expect((user?.exec as { command: string }).command).toBe(path.join(dir.path, 'bin/plugin'));
    expect((merged.users.get('pathless')?.body.exec as { command: string }).command).toBe('aws');
  });

  it('a file read again unchanged is not parsed again; a changed file is', async () => {
    const a = await dir.write('a.yaml', A);
    const first = await loadKubeconfig({ kubeconfig: a });
    const again = await loadKubeconfig({ kubeconfig: a });
    // The same parsed context body: the text was the same, so the parse was reused.
    expect(again.contexts.get('shared')?.body).toBe(first.contexts.get('shared')?.body);
    await dir.write('a.yaml', A.replace('namespace: team-a', 'namespace: team-c'));
    const changed = await loadKubeconfig({ kubeconfig: a });
    expect(changed.contexts.get('shared')?.body.namespace).toBe('team-c');
    expect(first.contexts.get('shared')?.body.namespace).toBe('team-a');
  });

  it('reads ~/.kube/config when nothing else is set', async () => {
    await mkdir(path.join(dir.path, '.kube'));
    await dir.write('.kube/config', B);
    const merged = await loadKubeconfig({}, { home: dir.path });
    expect([...merged.contexts.keys()]).toEqual(['shared', 'only-b']);
  });

  it('no kubeconfig at all is a UsageError naming where it looked (never localhost:8080)', async () => {
    const err = await loadKubeconfig({}, { home: dir.path }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    const usage = err as UsageError;
    expect(usage.field).toBe('kubeconfig');
    expect(usage.message).toBe(`no kubeconfig found at ${path.join(dir.path, '.kube', 'config')}`);
    expect(usage.fix).toBe('set KUBECONFIG or pass --kubeconfig');
  });

  it('a missing --kubeconfig file is a UsageError (kubectl skips only KUBECONFIG entries)', async () => {
    const file = path.join(dir.path, 'nope.yaml');
    await expect(loadKubeconfig({ kubeconfig: file })).rejects.toThrow(`no kubeconfig found at ${file}`);
  });

  it('an unparseable file is a UsageError naming the file', async () => {
    const bad = await dir.write('bad.yaml', 'clusters: [\n  - name: x\n  cluster: {server: ');
    const err = (await loadKubeconfig({ kubeconfig: bad }).catch((e: unknown) => e)) as UsageError;
    expect(err).toBeInstanceOf(UsageError);
    expect(err.field).toBe('kubeconfig');
    expect(err.message).toContain(`cannot parse ${bad}:`);
    expect(err.line()).not.toContain('\n');
  });

  it('a file without contexts is a UsageError', async () => {
    const empty = await dir.write('empty.yaml', '');
    await expect(loadKubeconfig({ kubeconfig: empty })).rejects.toThrow(/no contexts in the kubeconfig at/);
    const scalar = await dir.write('scalar.yaml', 'just a string');
    await expect(loadKubeconfig({ kubeconfig: scalar })).rejects.toThrow(/is not a kubeconfig/);
  });
});

describe('resolveContext', () => {
  it('returns the context with its cluster and user', async () => {
    const merged = await loadKubeconfig({ kubeconfig: await dir.write('b.yaml', B) });
    const resolved = resolveContext(merged, 'only-b');
    expect(resolved.cluster.name).toBe('only-b');
    expect(resolved.user?.name).toBe('shared');
  });

  it('names the choices when the context does not exist', async () => {
    const merged = await loadKubeconfig({ kubeconfig: await dir.write('b.yaml', B) });
    const err = (() => {
      try {
        resolveContext(merged, 'prod');
      } catch (e) {
        return e as UsageError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect(err?.line()).toBe('context: no context "prod" in the kubeconfig (choose one of: shared, only-b)');
  });

  it('reports a context whose cluster or user is not defined', async () => {
    const file = await dir.write(
      'broken.yaml',
      'contexts:\n- name: c1\n  context: {cluster: ghost, user: u}\n- name: c2\n  context: {cluster: real, user: ghost}\nclusters:\n- name: real\n  cluster: {server: https://real}\n',
    );
    const merged = await loadKubeconfig({ kubeconfig: file });
    expect(() => resolveContext(merged, 'c1')).toThrow(/refers to cluster "ghost", which is not defined/);
    expect(() => resolveContext(merged, 'c2')).toThrow(/refers to user "ghost", which is not defined/);
  });
});

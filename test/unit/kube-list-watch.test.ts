import { describe, expect, it } from 'vitest';
import type { ClientNode, KubeConfig } from '../../src/adapters/kube/client-node.js';
import { KubeApiError } from '../../src/adapters/kube/failures.js';
import { runListWatch, type KubeObjectLike } from '../../src/adapters/kube/list-watch.js';

type Done = (err: unknown) => void;
type Emit = (phase: string, obj: unknown) => void;
/** One scripted watch connection: gets the query, emits lines, ends it. */
type Script = (query: Record<string, unknown>, emit: Emit, done: Done) => void;

/** Stands in for client-node's Watch: each watch() call plays the next script. */
function fakeClientNode(scripts: Script[], calls: Record<string, unknown>[]): ClientNode {
  class FakeWatch {
    async watch(_path: string, query: Record<string, unknown>, cb: Emit, done: Done): Promise<AbortController> {
      calls.push(query);
      const script = scripts.shift();
      const controller = new AbortController();
      // Like the real Watch, done() runs when the connection ends, and callbacks come asynchronously.
      setTimeout(() => script?.(query, cb, done), 1);
      return controller;
    }
  }
  // Only Watch is used by runListWatch (and Observable by the list deadline middleware, unused here).
  return { Watch: FakeWatch, Observable: class {} } as unknown as ClientNode;
}

const obj = (name: string, rv: string): KubeObjectLike => ({ metadata: { name, resourceVersion: rv } });
const timeout = (): DOMException => new DOMException('The operation was aborted due to timeout', 'TimeoutError');

describe('runListWatch', () => {
  it('resumes after the inactivity timeout and clean ends, relists on 410, backs off on errors', async () => {
    const controller = new AbortController();
    const calls: Record<string, unknown>[] = [];
    const events: string[] = [];
    let lists = 0;
    const scripts: Script[] = [
      // 1: an event, then client-node's 30 s inactivity timeout → resume from rv 11 at once.
      (_q, emit, done) => {
        emit('ADDED', obj('a', '11'));
        done(timeout());
      },
      // 2: a bookmark moves the resourceVersion; then the server ends the watch cleanly.
      (_q, emit, done) => {
        emit('BOOKMARK', { metadata: { resourceVersion: '15' } });
        done(null);
      },
      // 3: 410 as an ERROR event → relist.
      (_q, emit) => emit('ERROR', { kind: 'Status', code: 410, reason: 'Expired' }),
      // 4: a 500 → retry (after backoff) from the same resourceVersion.
      (_q, _emit, done) => done(Object.assign(new Error('Internal Server Error'), { statusCode: 500 })),
      // 5: 410 as the HTTP status → relist.
      (_q, _emit, done) => done(Object.assign(new Error('Gone'), { statusCode: 410 })),
      // 6: stays open until aborted.
      () => controller.abort(),
    ];
    const errors: KubeApiError[] = [];
    await runListWatch(
      {
        k8s: fakeClientNode(scripts, calls),
        kc: {} as KubeConfig,
        server: 'https://k',
        listTimeoutMs: 1000,
        signal: controller.signal,
        backoff: { initialMs: 5, maxMs: 20 },
      },
      {
        what: 'pods in namespace ns',
        path: '/api/v1/namespaces/ns/pods',
        labelSelector: 'a=b',
        list: async () => {
          lists++;
          return { items: [obj('a', '10')], metadata: { resourceVersion: String(lists * 100) } };
        },
        onReset: (items) => events.push(`reset ${items.length}`),
        onEvent: (type, o) => events.push(`${type} ${o.metadata?.name}`),
        onError: (e) => {
          errors.push(e);
          return 'retry';
        },
      },
    );
    expect(calls.map((q) => q.resourceVersion)).toEqual(['100', '11', '15', '200', '200', '300']);
    expect(calls[0]).toMatchObject({ labelSelector: 'a=b', allowWatchBookmarks: true });
    expect(lists).toBe(3);
    expect(events).toEqual(['reset 1', 'ADDED a', 'reset 1', 'reset 1']);
    expect(errors.map((e) => e.message)).toEqual(['watch pods in namespace ns: 500 Internal Server Error']);
  });

  it("'fail' rejects with the error; 'stop' ends quietly", async () => {
    const deps = (scripts: Script[]) => ({
      k8s: fakeClientNode(scripts, []),
      kc: {} as KubeConfig,
      server: 'https://k',
      listTimeoutMs: 1000,
      signal: new AbortController().signal,
    });
    const forbidden: Script = (_q, _e, done) => done(Object.assign(new Error('Forbidden'), { statusCode: 403 }));
    const spec = (decision: 'fail' | 'stop') => ({
      what: 'events in namespace ns',
      path: '/x',
      list: async () => ({ items: [] }),
      onReset: () => undefined,
      onEvent: () => undefined,
      onError: () => decision,
    });
    await expect(runListWatch(deps([forbidden]), spec('fail'))).rejects.toBeInstanceOf(KubeApiError);
    await expect(runListWatch(deps([forbidden]), spec('stop'))).resolves.toBeUndefined();
  });

  it('a failing list backs off and retries until aborted', async () => {
    const controller = new AbortController();
    let lists = 0;
    await runListWatch(
      {
        k8s: fakeClientNode([], []),
        kc: {} as KubeConfig,
        server: 'https://k',
        listTimeoutMs: 1000,
        signal: controller.signal,
        backoff: { initialMs: 5, maxMs: 10 },
      },
      {
        what: 'pods',
        path: '/x',
        list: async () => {
          if (++lists === 4) controller.abort();
          throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        },
        onReset: () => undefined,
        onEvent: () => undefined,
      },
    );
    expect(lists).toBe(4);
  });
});

import type { CoreV1Event, V1Deployment, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { MAX_SNAPSHOT_EVENTS, ReadinessState } from '../../src/adapters/kube/readiness-state.js';

const dep = (name: string): V1Deployment => ({ metadata: { name }, spec: { selector: {}, template: {}, replicas: 1 } });
const pod = (name: string, rs?: string): V1Pod => ({
  metadata: { name, ...(rs ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: 'u' }] } : {}) },
  spec: { containers: [] },
});
// Timestamps as strings, the way watch events deliver them (the types say Date: that is the list path).
const ev = (name: string, kind: string, object: string, at: string, type = 'Warning'): CoreV1Event => ({
  metadata: { name },
  involvedObject: { kind, name: object },
  reason: 'R',
  message: name,
  type,
  lastTimestamp: at as unknown as Date,
});

describe('ReadinessState', () => {
  it('keeps warnings about our Deployment, its ReplicaSets and any pod seen during the watch', () => {
    const s = new ReadinessState();
    s.reset('deployments', [dep('prod-gitlab-agent-v2')]);
    s.reset('pods', [pod('prod-gitlab-agent-v2-abc-1', 'prod-gitlab-agent-v2-owned')]);
    s.reset('events', [
      ev('pod', 'Pod', 'prod-gitlab-agent-v2-abc-1', '2026-01-01T00:00:01Z'),
      ev('gone-pod', 'Pod', 'replaced-pod', '2026-01-01T00:00:02Z'),
      ev('rs-owner', 'ReplicaSet', 'prod-gitlab-agent-v2-owned', '2026-01-01T00:00:03Z'),
      ev('rs-hash', 'ReplicaSet', 'prod-gitlab-agent-v2-5f7b9c8d4x', '2026-01-01T00:00:04Z'),
      ev('rs-other-deploy', 'ReplicaSet', 'prod-gitlab-agent-v2-extra-5f7b9c8d4', '2026-01-01T00:00:05Z'),
      ev('deploy', 'Deployment', 'prod-gitlab-agent-v2', '2026-01-01T00:00:06Z'),
      ev('normal', 'Pod', 'prod-gitlab-agent-v2-abc-1', '2026-01-01T00:00:07Z', 'Normal'),
      ev('node', 'Node', 'n1', '2026-01-01T00:00:08Z'),
    ]);
    expect(s.snapshot().events.map((e) => e.message)).toEqual(['pod', 'rs-owner', 'rs-hash', 'deploy']);

    // The replaced pod shows up, then is deleted: its warnings stay visible.
    s.apply('pods', 'ADDED', pod('replaced-pod'));
    s.apply('pods', 'DELETED', pod('replaced-pod'));
    expect(s.snapshot().pods.map((p) => p.name)).toEqual(['prod-gitlab-agent-v2-abc-1']);
    expect(s.snapshot().events.map((e) => e.message)).toEqual(['pod', 'gone-pod', 'rs-owner', 'rs-hash', 'deploy']);
  });

  it('bounds the events it keeps and reports, newest last', () => {
    const s = new ReadinessState();
    s.reset('deployments', [dep('d')]);
    for (let i = 0; i < 250; i++) {
      s.apply('events', 'ADDED', ev(`e${i}`, 'Deployment', 'd', new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString()));
    }
    expect(s.events.size).toBe(200);
    const events = s.snapshot().events;
    expect(events).toHaveLength(MAX_SNAPSHOT_EVENTS);
    expect(events.at(-1)?.message).toBe('e249');
    expect(events[0]?.message).toBe(`e${250 - MAX_SNAPSHOT_EVENTS}`);
  });

  it('reports the first Deployment by name and pods sorted by name', () => {
    const s = new ReadinessState();
    s.reset('deployments', [dep('b-v2'), dep('a-v2')]);
    s.reset('pods', [pod('z'), pod('m')]);
    const snap = s.snapshot();
    expect(snap.deployment?.name).toBe('a-v2');
    expect(snap.pods.map((p) => p.name)).toEqual(['m', 'z']);
    s.reset('deployments', []);
    expect(s.snapshot().deployment).toBeUndefined();
  });
});

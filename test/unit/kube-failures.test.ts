import { describe, expect, it } from 'vitest';
import { ExecPluginError } from '../../src/adapters/kube/exec-credential.js';
import { DeadlineError, classifyFailure, kubeError } from '../../src/adapters/kube/failures.js';

/** What client-node 2.x throws: code, body (raw response text) and headers, with a message that dumps them. */
function apiException(code: number, body: unknown): Error {
  return Object.assign(new Error(`HTTP-Code: ${code}\nMessage: Unknown API Status Code!\nBody: ${JSON.stringify(body)}\nHeaders: {}`), {
    code,
    body,
    headers: {},
  });
}

function fetchFailed(cause: unknown): Error {
  return Object.assign(new TypeError('fetch failed'), { cause });
}

const server = { server: 'https://k8s.example:6443' };

describe('classifyFailure', () => {
  it('HTTP answers: 401/403 are unauthorized, others keep the Status message', () => {
    expect(classifyFailure(apiException(401, undefined))).toEqual({
      kind: 'unauthorized',
      status: 401,
      message: 'the API server rejected the credentials (401 Unauthorized)',
    });
    const forbidden = JSON.stringify({
      kind: 'Status',
      message: 'secrets is forbidden: User "u" cannot create',
      reason: 'Forbidden',
      code: 403,
    });
    expect(classifyFailure(apiException(403, forbidden))).toEqual({
      kind: 'unauthorized',
      status: 403,
      reason: 'Forbidden',
      message: 'secrets is forbidden: User "u" cannot create',
    });
    expect(classifyFailure(apiException(500, '<html>oops</html>'))).toMatchObject({
      kind: 'other',
      status: 500,
      message: '<html>oops</html>',
    });
    expect(classifyFailure(apiException(503, ''))).toMatchObject({ kind: 'other', message: '503 Service Unavailable' });
    expect(classifyFailure(Object.assign(new Error('Gone'), { statusCode: 410 }))).toMatchObject({ status: 410 });
  });

  it('socket errors, also wrapped by undici and in AggregateError', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(classifyFailure(fetchFailed(refused), server)).toEqual({
      kind: 'unreachable',
      message: 'cannot reach https://k8s.example:6443: connection refused',
    });
    const aggregate = new AggregateError([Object.assign(new Error('x'), { code: 'EHOSTUNREACH' })], 'all failed');
    expect(classifyFailure(fetchFailed(aggregate), server)).toMatchObject({
      kind: 'unreachable',
      message: 'cannot reach https://k8s.example:6443: host unreachable',
    });
    expect(classifyFailure(fetchFailed(Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' })))).toMatchObject({
      kind: 'unreachable',
      message: 'cannot reach the API server: host not found (DNS)',
    });
    expect(
      classifyFailure(fetchFailed(Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' })), {
        ...server,
        timeoutMs: 5000,
      }),
    ).toEqual({
      kind: 'timeout',
      message: 'no answer from https://k8s.example:6443 within 5s',
    });
  });

  it("undici's blocked ports are unreachable", () => {
    expect(classifyFailure(fetchFailed(new Error('bad port')), { server: 'https://127.0.0.1:1' })).toEqual({
      kind: 'unreachable',
      message: "cannot reach https://127.0.0.1:1: its port is on the Fetch standard's blocked-port list",
    });
  });

  it('certificate problems are tls', () => {
    for (const code of [
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'CERT_HAS_EXPIRED',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'SELF_SIGNED_CERT_IN_CHAIN',
    ]) {
      const err = fetchFailed(Object.assign(new Error('certificate problem'), { code }));
      expect(classifyFailure(err, server)).toEqual({
        kind: 'tls',
        message: 'TLS error talking to https://k8s.example:6443: certificate problem',
      });
    }
  });

  it('our deadline, exec plugins, and anything else', () => {
    expect(classifyFailure(new DeadlineError(2500), server)).toEqual({
      kind: 'timeout',
      message: 'no answer from https://k8s.example:6443 within 2.5s',
    });
    expect(classifyFailure(new ExecPluginError('aws', 'failed', 'Token has expired', 255))).toEqual({
      kind: 'exec-plugin',
      message: 'exec plugin "aws" failed (exit 255): Token has expired',
      execPlugin: 'aws',
    });
    expect(classifyFailure(new ExecPluginError('aws', 'timeout', 'did not finish within 5s'))).toMatchObject({ kind: 'timeout' });
    expect(classifyFailure(new Error('something odd\nwith detail'))).toEqual({ kind: 'other', message: 'something odd' });
  });

  it('kubeError names the action and adds a hint', () => {
    const err = kubeError('create Secret ns/s', apiException(403, JSON.stringify({ message: 'nope', reason: 'Forbidden' })));
    expect(err.message).toBe('create Secret ns/s: nope');
    expect(err.step).toBe('kubernetes');
    expect(err.hint).toBe('ask a cluster admin for this permission, or choose another context');
    expect(kubeError('again', err)).toBe(err);
  });
});

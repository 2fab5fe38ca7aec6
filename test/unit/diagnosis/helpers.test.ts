import { describe, expect, it } from 'vitest';
import { agentContainer, argValue, kasAddressOf, proxyEnvOf, tokenVolumeOf } from '../../../src/core/diagnosis/deployment-args.js';
import { httpUrlOf, missingTrailingSlash, parseKasUrl, withTrailingSlash } from '../../../src/core/diagnosis/kas-address.js';
import { isProblemLine, parseLogLine, textOf } from '../../../src/core/diagnosis/log-line.js';
import { fill } from '../../../src/core/diagnosis/placeholders.js';
import { imageTag, minorDistance, parseVersion, recommendedTag, skew } from '../../../src/core/diagnosis/versions.js';
import { deployment } from './builders.js';
import { maskUrlCredentials } from '../../../src/core/plan/url-credentials.js';

describe('versions', () => {
  it('reads GitLab, KAS and agentk versions, and refuses non-versions', () => {
    expect(parseVersion('18.1.1-ee')?.format()).toBe('18.1.1-ee');
    expect(parseVersion('v17.6.0')?.minor).toBe(6);
    expect(parseVersion('17.6.2+abc123')?.patch).toBe(2);
    expect(parseVersion('v17.5.0-rc42')?.minor).toBe(5);
    expect(parseVersion('17.4')?.minor).toBe(4);
    for (const t of ['latest', 'stable', 'sha256:abc', '', undefined, null]) expect(parseVersion(t)).toBeUndefined();
  });
  it('measures minors across majors only where the release history is known', () => {
    const v = (s: string) => parseVersion(s)!;
    expect(minorDistance(v('17.11.0'), v('18.0.0'))).toBe(1);
    expect(minorDistance(v('16.11.0'), v('17.1.0'))).toBe(2);
    expect(minorDistance(v('12.10.0'), v('13.0.0'))).toBe(Infinity);
    expect(minorDistance(v('16.0.0'), v('18.0.0'))).toBe(Infinity);
  });
  it('judges skew and recommends a tag', () => {
    expect(skew('v18.7.0', '18.6.1')).toEqual({ kind: 'supported', distance: 1 });
    expect(skew('v18.4.0', '18.6.1')).toEqual({ kind: 'unsupported', distance: 2, agentNewer: false });
    expect(skew('latest', '18.6.1').kind).toBe('unknown');
    expect(recommendedTag('18.6.1', '18.6.1-ee')).toBe('v18.6.1');
    expect(recommendedTag('18.6.1+0123abcd', '18.6.1-ee')).toBe('v18.6.0');
    expect(recommendedTag(null, '18.6.1-ee')).toBe('v18.6.0');
    expect(recommendedTag(null, undefined)).toBeUndefined();
  });
  it('takes the tag of an image reference', () => {
    expect(imageTag('registry.gitlab.com/x/agentk:v18.6.0')).toBe('v18.6.0');
    expect(imageTag('localhost:5000/agentk')).toBeUndefined();
    expect(imageTag('localhost:5000/agentk:v1.2.3@sha256:00')).toBe('v1.2.3');
  });
});

describe('KAS addresses', () => {
  it('parses the four schemes with default ports', () => {
    expect(parseKasUrl('wss://gitlab.example.com/-/kubernetes-agent/')).toMatchObject({
      scheme: 'wss',
      host: 'gitlab.example.com',
      port: 443,
      path: '/-/kubernetes-agent/',
      tls: true,
      websocket: true,
    });
    expect(parseKasUrl('grpc://kas.example.com:8150')).toMatchObject({
      scheme: 'grpc',
      port: 8150,
      path: '',
      tls: false,
      websocket: false,
    });
    expect(parseKasUrl('grpcs://kas.gitlab.com')).toMatchObject({ port: 443, path: '' });
    expect(parseKasUrl('wss://kas.gitlab.com')).toMatchObject({ path: '' });
    expect(parseKasUrl('https://gitlab.example.com')).toBeUndefined();
    expect(parseKasUrl('not a url')).toBeUndefined();
  });
  it('knows the trailing-slash rule', () => {
    const bare = parseKasUrl('wss://gitlab.example.com/-/kubernetes-agent')!;
    expect(missingTrailingSlash(bare)).toBe(true);
    expect(withTrailingSlash(bare)).toBe('wss://gitlab.example.com/-/kubernetes-agent/');
    expect(missingTrailingSlash(parseKasUrl('wss://kas.gitlab.com')!)).toBe(false);
    expect(missingTrailingSlash(parseKasUrl('grpcs://kas.example.com/x')!)).toBe(false);
    expect(httpUrlOf(parseKasUrl('ws://gitlab.example.com:8080/-/kubernetes-agent/')!)).toBe(
      'http://gitlab.example.com:8080/-/kubernetes-agent/',
    );
  });
});

describe('log lines', () => {
  it('parses zap JSON, slog JSON, klog and plain text', () => {
    expect(
      parseLogLine('{"level":"warn","time":"2020-11-04T10:14:39.368Z","msg":"GetConfiguration failed","error":"x","agent_id":42}'),
    ).toMatchObject({ json: true, level: 'warn', msg: 'GetConfiguration failed', error: 'x', agentId: '42' });
    expect(parseLogLine('{"time":"2026-05-20T10:00:00Z","level":"WARNING","msg":"m"}').level).toBe('warn');
    expect(parseLogLine('E0520 09:58:12.345678       1 reflector.go:539] failed to list').level).toBe('error');
    expect(parseLogLine('Error: unknown flag: --ca-cert-file')).toMatchObject({ json: false, msg: 'Error: unknown flag: --ca-cert-file' });
    expect(parseLogLine('{not json').json).toBe(false);
  });
  it('strips kubectl --prefix and --timestamps', () => {
    expect(parseLogLine('[pod/gitlab-agent-v2-abc/gitlab-agent] {"level":"error","msg":"m"}').level).toBe('error');
    expect(parseLogLine('2026-05-20T09:59:00.123456789Z {"level":"error","msg":"m"}').json).toBe(true);
  });
  it('counts only warnings and errors as problems', () => {
    expect(isProblemLine(parseLogLine('{"level":"info","msg":"connection refused"}'))).toBe(false);
    expect(isProblemLine(parseLogLine('{"level":"error","msg":"x"}'))).toBe(true);
    expect(isProblemLine(parseLogLine('Starting agentk'))).toBe(false);
    expect(isProblemLine(parseLogLine('panic: runtime error'))).toBe(true);
    expect(textOf(parseLogLine('{"level":"error","msg":"a","error":"b"}'))).toBe('a :: b');
  });
});

describe('Deployment args and env', () => {
  it('reads --kas-address in both forms, last one winning', () => {
    expect(argValue(['--kas-address=wss://a/', '--kas-address', 'wss://b/'], '--kas-address')).toBe('wss://b/');
    expect(kasAddressOf(deployment({}, ['--kas-address', 'grpcs://kas.example.com']))).toBe('grpcs://kas.example.com');
    expect(kasAddressOf(null)).toBeUndefined();
  });
  it('finds the agentk container and its token volume in both chart shapes', () => {
    const real = deployment();
    expect(agentContainer(real)!.name).toBe('gitlab-agent');
    expect(tokenVolumeOf(real)!.secretName).toBe('gitlab-agent-token');
    const test = deployment({ volumes: [{ name: 'token-volume', secretName: 'prod-agent-token', items: ['token'] }] });
    test.containers[0]!.name = 'agent';
    expect(tokenVolumeOf(test)!.secretName).toBe('prod-agent-token');
  });
  it('prefers upper-case proxy variables as Go does, and redacts credentials', () => {
    const d = deployment();
    d.containers[0]!.env.push({ name: 'https_proxy', value: 'http://lower:3128' }, { name: 'HTTPS_PROXY', value: 'http://upper:3128' });
    expect(proxyEnvOf(d).httpsProxy!.value).toBe('http://upper:3128');
    expect(maskUrlCredentials('http://bob:s3cret@proxy:3128')).toBe('http://***@proxy:3128');
    expect(maskUrlCredentials('http://proxy:3128')).toBe('http://proxy:3128');
    // Without a scheme (Go and curl accept it), and with a raw @ in the password: nothing of it is left.
    expect(maskUrlCredentials('bob:s3cret@proxy:3128')).toBe('***@proxy:3128');
    expect(maskUrlCredentials('http://bob:p@ss@proxy:3128/x')).toBe('http://***@proxy:3128/x');
    // An @ in the path is no userinfo.
    expect(maskUrlCredentials('http://proxy:3128/a@b')).toBe('http://proxy:3128/a@b');
  });
});

describe('placeholders', () => {
  it('fills what the context knows and leaves the rest for the user', () => {
    expect(fill('helm rollback <release> -n <namespace> --kube-context <context> <file>', { namespace: 'ns', release: 'r' })).toBe(
      'helm rollback r -n ns --kube-context <context> <file>',
    );
    expect(fill('<secret>', { namespace: 'ns' }, { secret: 's' })).toBe('s');
  });
});

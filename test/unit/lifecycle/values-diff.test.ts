import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MASK, maskedValues, valuesDiff } from '../../../src/core/plan/lifecycle/values-diff.js';
import { upgradeValues } from '../../../src/core/plan/lifecycle/upgrade-values.js';

const PEM = readFileSync(new URL('../../fixtures/kas-ca.pem', import.meta.url), 'utf8');
const current = {
  config: { kasAddress: 'wss://kas.example.com', secretName: 'prod-agent-token', token: 'glagent-old-fake-token-value' },
  image: { tag: 'v18.5.0' },
  extraEnv: [
    { name: 'HTTPS_PROXY', value: 'http://old-proxy:3128' },
    { name: 'NO_PROXY', value: '.svc' },
    { name: 'TZ', value: 'UTC' },
  ],
  replicas: 3,
};

describe('values diff', () => {
  it('one line per changed leaf, env entries keyed by name, everything unchanged left out', () => {
    const next = upgradeValues(current, { imageTag: 'v18.6.1', proxy: { httpsProxy: 'http://new-proxy:3128', noProxy: '.svc' } });
    expect(valuesDiff(current, next)).toEqual([
      '- extraEnv[name=HTTPS_PROXY].value: "http://old-proxy:3128"',
      '+ extraEnv[name=HTTPS_PROXY].value: "http://new-proxy:3128"',
      '- image.tag: "v18.5.0"',
      '+ image.tag: "v18.6.1"',
    ]);
    expect(next.replicas).toBe(3);
    expect(next.extraEnv).toContainEqual({ name: 'TZ', value: 'UTC' });
    expect(current.image.tag, 'the input is not modified').toBe('v18.5.0');
  });

  it('masks credentials on both sides but still shows that one changed; secretName is a name, not a secret', () => {
    const next = { ...current, config: { ...current.config, token: 'glagent-new-fake-token-value', secretName: 'other-secret' } };
    const lines = valuesDiff(current, next);
    expect(lines).toEqual([
      '- config.secretName: "prod-agent-token"',
      '+ config.secretName: "other-secret"',
      `- config.token: ${MASK}`,
      `+ config.token: ${MASK}`,
    ]);
    expect(lines.join('\n')).not.toContain('fake-token-value');
    expect(valuesDiff(current, structuredClone(current)), 'an unchanged credential shows nothing').toEqual([]);
  });

  it('masks passwords, private keys and API keys anywhere, and shows a certificate by its hash', () => {
    const before = { db: { password: 'hunter2-fake-pw' }, tls: { key: 'k-fake', cert: 'c' }, apiKey: 'ak-fake' };
    const after = {
      db: { password: 'hunter3-fake-pw' },
      tls: { key: 'k2-fake', cert: 'c' },
      apiKey: 'ak2-fake',
      config: { kasCaCert: PEM },
    };
    const text = valuesDiff(before, after).join('\n');
    for (const secret of ['hunter', 'k-fake', 'k2-fake', 'ak-fake', 'ak2-fake']) expect(text).not.toContain(secret);
    expect(text).toMatch(/\+ config\.kasCaCert: <certificate, \d+ lines, sha256:[0-9a-f]{12}>/);
    expect(text).not.toContain('BEGIN CERTIFICATE');
    expect(JSON.stringify(maskedValues(after))).not.toMatch(/hunter|k2-fake|ak2-fake/);
  });

  it('adding or removing a whole setting shows only that', () => {
    expect(valuesDiff({ a: 1 }, { a: 1, rbac: { create: false } })).toEqual(['+ rbac.create: false']);
    expect(valuesDiff({ extraEnv: [{ name: 'HTTPS_PROXY', value: 'x' }] }, {})).toEqual(['- extraEnv[name=HTTPS_PROXY].value: "x"']);
  });
});

describe('upgrade values', () => {
  it('unsets image.tag to follow the chart, replaces only the proxy entries, sets the CA and the RBAC', () => {
    const next = upgradeValues(current, { imageTag: null, proxy: {}, kasCaPem: PEM, rbac: { mode: 'existing-role', role: 'agent-role' } });
    expect(next.image).toBeUndefined();
    expect(next.extraEnv).toEqual([{ name: 'TZ', value: 'UTC' }]);
    expect(next.config).toMatchObject({ kasAddress: 'wss://kas.example.com', kasCaCert: PEM });
    expect(next.rbac).toEqual({ create: true, useExistingRole: 'agent-role' });
    expect(upgradeValues({ rbac: { create: true, useExistingRole: 'x' } }, { rbac: { mode: 'none' } }).rbac).toEqual({ create: false });
  });
});

import { describe, expect, it } from 'vitest';
import { advancedSettings, type AdvancedTexts } from '../../../src/core/plan/advanced-options.js';
import { currentAdvancedTexts } from '../../../src/core/plan/lifecycle/current-advanced.js';
import { upgradeValues } from '../../../src/core/plan/lifecycle/upgrade-values.js';
import { valuesDiff } from '../../../src/core/plan/lifecycle/values-diff.js';

/** A release's values as an install of ours leaves them: proxy, secure defaults, our rollout annotation, some advanced options. */
const release = (): Record<string, unknown> => ({
  config: { kasAddress: 'wss://kas.example.com', secretName: 'prod-agent-token', kasHeaders: ['Cookie: gitlab_canary=true'] },
  extraEnv: [
    { name: 'HTTPS_PROXY', value: 'http://proxy.internal:3128' },
    { name: 'NO_PROXY', value: '.svc' },
  ],
  podSecurityContext: { runAsNonRoot: true, runAsUser: 65532 },
  replicas: 3,
  resources: { requests: { cpu: '100m', memory: '128Mi' } },
  podAnnotations: { 'gitlab-agent-tui/token-id': '77', 'example.com/owner': 'platform' },
  extraArgs: ['--log-level=debug', '--kas-tls-server-name=kas.internal'],
});

const change = (texts: AdvancedTexts, changed = Object.keys(texts) as (keyof AdvancedTexts)[]) => ({
  advanced: { settings: advancedSettings(texts), changed },
});

describe('upgrade values with advanced options', () => {
  it('a changed replica count, node selector and toleration are written; every other value is kept', () => {
    const before = release();
    const after = upgradeValues(
      before,
      change({ replicas: '2', nodeSelector: ['pool=agents'], toleration: ['dedicated=agents:NoSchedule', 'spot:NoExecute'] }),
    );
    expect(after).toEqual({
      ...release(),
      replicas: 2,
      nodeSelector: { pool: 'agents' },
      tolerations: [
        { key: 'dedicated', operator: 'Equal', value: 'agents', effect: 'NoSchedule' },
        { key: 'spot', operator: 'Exists', effect: 'NoExecute' },
      ],
    });
    expect(before, 'the input is not changed').toEqual(release());
    expect(valuesDiff(before, after)).toEqual(expect.arrayContaining(['- replicas: 3', '+ replicas: 2', '+ nodeSelector.pool: "agents"']));
  });

  it('an option set to nothing removes its key (the chart default applies), and an emptied parent goes too', () => {
    const after = upgradeValues(release(), change({ replicas: undefined, requests: undefined }, ['replicas', 'requests']));
    expect(after).not.toHaveProperty('replicas');
    expect(after).not.toHaveProperty('resources');
    expect(after.extraEnv).toEqual(release().extraEnv);
  });

  it("pod annotations: the user's are replaced, ours (gitlab-agent-tui/*) are kept", () => {
    const after = upgradeValues(release(), change({ podAnnotation: ['example.com/team=infra'] }));
    expect(after.podAnnotations).toEqual({ 'example.com/team': 'infra', 'gitlab-agent-tui/token-id': '77' });
  });

  it('KAS headers go to config.kasHeaders beside the rest of config; the TLS server name replaces only its own extraArg', () => {
    const after = upgradeValues(release(), change({ kasHeader: ['X-Env: prod'], kasTlsServerName: 'kas.example.com' }));
    expect(after.config).toEqual({ kasAddress: 'wss://kas.example.com', secretName: 'prod-agent-token', kasHeaders: ['X-Env: prod'] });
    expect(after.extraArgs).toEqual(['--log-level=debug', '--kas-tls-server-name=kas.example.com']);
    const cleared = upgradeValues(release(), change({ kasHeader: [], kasTlsServerName: undefined }, ['kasHeader', 'kasTlsServerName']));
    expect(cleared.config).toEqual({ kasAddress: 'wss://kas.example.com', secretName: 'prod-agent-token' });
    expect(cleared.extraArgs).toEqual(['--log-level=debug']);
  });

  it('options not in `changed` are untouched, even when the settings hold something for them', () => {
    const after = upgradeValues(release(), {
      advanced: { settings: advancedSettings({ replicas: '5', priorityClass: 'high' }), changed: ['priorityClass'] },
    });
    expect(after.replicas).toBe(3);
    expect(after.priorityClassName).toBe('high');
  });

  it("the current values read back as the texts the flags take (the screen's defaults), and writing them back changes nothing", () => {
    const values = upgradeValues(
      release(),
      change({
        nodeSelector: ['pool=agents'],
        toleration: ['dedicated=agents:NoSchedule', 'spot:NoExecute'],
        imagePullSecret: ['mirror'],
        podLabel: ['team=a'],
      }),
    );
    const texts = currentAdvancedTexts(values);
    expect(texts).toEqual({
      replicas: '3',
      requests: 'cpu=100m,memory=128Mi',
      nodeSelector: ['pool=agents'],
      toleration: ['dedicated=agents:NoSchedule', 'spot:NoExecute'],
      imagePullSecret: ['mirror'],
      podLabel: ['team=a'],
      podAnnotation: ['example.com/owner=platform'],
      kasHeader: ['Cookie: gitlab_canary=true'],
      kasTlsServerName: 'kas.internal',
    });
    const all = Object.keys(texts) as (keyof AdvancedTexts)[];
    expect(upgradeValues(values, { advanced: { settings: advancedSettings(texts), changed: all } })).toEqual(values);
  });
});

import { describe, expect, it } from 'vitest';
import { listArgs, parseHelmVersion, parseReleases } from '../../src/adapters/helm/index.js';
import { FlowError } from '../../src/core/kernel/errors.js';

describe('parseHelmVersion', () => {
  it.each([
    ['v3.21.4+g1234abc\n', { version: 'v3.21.4', major: 3 }],
    ['v4.0.1+g0123456', { version: 'v4.0.1', major: 4 }],
    ['v4.1.0-rc.2+gabc', { version: 'v4.1.0-rc.2', major: 4 }],
    ['Client: v2.17.0+ga690bad\n', { version: 'v2.17.0', major: 2 }],
    ['version.BuildInfo{Version:"v3.6.0", GitCommit:"x"}', { version: 'v3.6.0', major: 3 }],
  ])('reads %j', (output, expected) => {
    expect(parseHelmVersion(output)).toEqual(expected);
  });

  it.each(['', 'helm', '3.21.4', 'Error: unknown flag: --short'])('returns undefined for %j', (output) => {
    expect(parseHelmVersion(output)).toBeUndefined();
  });
});

describe('parseReleases', () => {
  it('maps helm’s JSON fields and turns the string revision into a number', () => {
    const json = JSON.stringify([
      { name: 'a', namespace: 'ns', revision: '12', updated: '-', status: 'deployed', chart: 'c-1.0.0', app_version: '1.0' },
    ]);
    expect(parseReleases(json)).toEqual([
      { name: 'a', namespace: 'ns', revision: 12, status: 'deployed', chart: 'c-1.0.0', appVersion: '1.0' },
    ]);
  });

  it('treats empty output and null as no releases', () => {
    expect(parseReleases('')).toEqual([]);
    expect(parseReleases('null\n')).toEqual([]);
    expect(parseReleases('[]\n')).toEqual([]);
  });

  it('tolerates missing fields and skips entries without a name', () => {
    expect(parseReleases('[{"name":"x","revision":3},{"status":"deployed"},7]')).toEqual([
      { name: 'x', namespace: '', revision: 3, status: '', chart: '', appVersion: '' },
    ]);
  });

  it.each(['NAME NAMESPACE', '{"name":"x"}'])('rejects %j with a FlowError', (output) => {
    expect(() => parseReleases(output)).toThrow(FlowError);
  });
});

describe('listArgs', () => {
  it('keeps a value starting with - attached to its flag', () => {
    expect(listArgs({ context: '-odd' }, '-ns')).toEqual([
      'list',
      '--output=json',
      '--deployed',
      '--failed',
      '--pending',
      '--superseded',
      '--uninstalled',
      '--uninstalling',
      '--max=0',
      '--kube-context=-odd',
      '--namespace=-ns',
    ]);
  });
});

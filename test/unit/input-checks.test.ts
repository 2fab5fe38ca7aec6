import { describe, expect, it } from 'vitest';
import type { OptionValues } from '../../src/core/options/values.js';
import { lineFor } from '../support/option-line.js';
import { valuesFileProblem } from '../../src/core/steps/settings/check-values-file.js';
import { tokenProblem } from '../../src/core/steps/target/connect-gitlab.js';

describe('every flag is checked before anything else happens', () => {
  it.each<[Partial<OptionValues>, string]>([
    [{ imageTag: 'v18.6.0:latest' }, '--image-tag: "v18.6.0:latest" is a whole image reference'],
    [{ imageTag: '-bad' }, '--image-tag: "-bad" is not an image tag'],
    [{ imageTag: 'a'.repeat(129) }, '--image-tag:'],
    [{ imageRepository: 'Registry.Example/AgentK' }, '--image-repository: "Registry.Example/AgentK" is not an image repository'],
    [{ imageRepository: 'registry.example/agentk:v1' }, 'the tag goes in --image-tag'],
    [{ imageRepository: 'reg!stry.example:5000/agentk' }, '--image-repository: "reg!stry.example:5000" is not a registry host'],
    [{ imageRepository: 'agentk@sha256:abc' }, 'has a digest'],
    [{ chartVersion: 'newest' }, '--chart-version: "newest" is neither a version nor a version constraint'],
    [{ chartRepo: 'ftp://charts.example' }, '--chart-repo: "ftp://charts.example" must be an http(s) URL'],
    [{ chartRepo: 'oci://registry.example/charts' }, 'for oci:// use --chart'],
    [{ chartRepo: 'charts.example' }, '--chart-repo: "charts.example" is not a URL'],
    [{ chart: 'oci://registry.example' }, '--chart: "oci://registry.example" is not an OCI chart reference'],
    [{ chart: 'oci://registry.example/charts/gitlab-agent:2.32.0' }, 'carries a tag; give the version with --chart-version'],
    [{ serviceAccount: 'Agent_SA' }, '--service-account: service account name may contain only'],
    [{ existingRole: 'team/agent' }, '--existing-role: role name may not'],
    [{ existingRole: '' }, '--existing-role: role name is empty'],
    [{ timeoutMs: 40 * 86_400_000 }, '--timeout: must be shorter than 24 days'],
    [{ connectTimeoutMs: Number.NaN }, '--connect-timeout: must be a positive duration'],
    [{ output: 'yaml' as never }, '--output: unknown format "yaml"'],
  ])('%j', (values, expected) => expect(lineFor(values)).toContain(expected));

  it.each<Partial<OptionValues>>([
    { imageTag: 'v18.6.0' },
    { imageTag: '' },
    { imageRepository: 'registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk' },
    { imageRepository: 'localhost:5000/agentk' },
    { chartVersion: '2.32.0' },
    { chartVersion: 'v2.32.0' },
    { chartVersion: '~2.32' },
    { chartVersion: '>=2.30.0 <3' },
    { chartRepo: 'http://127.0.0.1:8080/charts' },
    { chart: 'oci://registry.example/charts/gitlab-agent' },
    { chart: './charts/gitlab-agent' },
    { serviceAccount: 'gitlab-agent' },
    { existingRole: 'system:aggregate-to-view' },
  ])('accepts %j', (values) => expect(lineFor(values)).toBeUndefined());
});

describe('--values files', () => {
  it.each([
    ['replicas: 1\n', undefined],
    ['', undefined],
    ['# nothing\n', undefined],
    ['- a\n- b\n', 'is not a YAML mapping'],
    ['plain words', 'is not a YAML mapping'],
    ['a: [1, 2\n', 'is not valid YAML'],
    ['config:\n  token: abc\n', 'carries a token at config.token'],
    ['podAnnotations:\n  note: glpat-AbCdEfGhIjKlMnOp1234\n', 'carries a token at podAnnotations.note'],
    ['extraEnv:\n  - name: X\n    value: glagent-fake-0123456789abcdef\n', 'carries a token at extraEnv[0].value'],
    ['config:\n  token: null\n  secretName: own\n', undefined],
  ])('%j', (text, expected) => {
    const problem = valuesFileProblem(text);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toContain(expected);
  });
});

describe('a GitLab token is one word of printable ASCII', () => {
  it.each([
    ['glpat-fake-0123456789', undefined],
    ['glpat-fake\nsecond-line', 'line break'],
    ['glpat fake', 'space'],
    ['glpat-fake\u001b[2J', 'control character'],
    ['glpat-fäke', 'not printable ASCII'],
    ['', 'empty'],
  ])('%j', (token, expected) => {
    const problem = tokenProblem(token);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toContain(expected);
  });
});

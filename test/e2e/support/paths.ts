import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const CLUSTER_SH = join(ROOT, 'test/e2e/cluster/cluster.sh');
export const VERSIONS_SH = join(ROOT, 'test/e2e/cluster/versions.sh');
export const KAS_CA_PEM = join(ROOT, 'test/fixtures/kas-ca.pem');

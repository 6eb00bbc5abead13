import type { PrivateCluster } from '../../tools/private-redis';

export default async function stopCluster(): Promise<void> {
  await (globalThis as { sagaflowTestCluster?: PrivateCluster }).sagaflowTestCluster?.destroy();
}

import { PrivateCluster } from '../../tools/private-redis';

/** Jest's global setup of the `cluster` project: a cluster of three masters for its suites (see use-cluster). */
export default async function startCluster(): Promise<void> {
  const cluster = await PrivateCluster.start({ masters: 3 });
  process.env.SAGAFLOW_TEST_CLUSTER_URL = cluster.url;
  (globalThis as { sagaflowTestCluster?: PrivateCluster }).sagaflowTestCluster = cluster;
}

// Runs before each suite of the `cluster` project (each suite has a copy of the environment): its REDIS_URL names
// the cluster that start-cluster started, and its systems and engines spread their sagas over three shards, so
// over the cluster's masters.
process.env.REDIS_URL = process.env.SAGAFLOW_TEST_CLUSTER_URL;
process.env.SAGAFLOW_SHARDS = '3';

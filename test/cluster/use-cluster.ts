// Runs before each suite of the `cluster` project: its REDIS_URL (a copy of the environment per suite) names
// the cluster that start-cluster started, so the suite's engines, APIs and workers all use it.
process.env.REDIS_URL = process.env.SAGAFLOW_TEST_CLUSTER_URL;

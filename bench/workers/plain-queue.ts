/** The queue of the plain BullMQ baseline. */
export const PLAIN_QUEUE = 'plain';

/** Kept like the engine keeps its step jobs (see StepDispatcher), so both sides pay the same for finished jobs. */
export const PLAIN_JOB_OPTIONS = { removeOnComplete: { count: 1_000 }, removeOnFail: { count: 5_000 } };

/** Data of a chained job (latency mode): its chain, its place in it, and how many jobs follow it. */
export interface ChainJobData {
  chain: string;
  link: number;
  remaining: number;
}

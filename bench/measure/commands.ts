import type { Redis } from 'ioredis';
import { BENCH_STEPS } from '../saga/bench.saga';
import type { Harness } from '../harness';
import { sleep } from '../support/processes';
import { round } from '../support/stats';

/** Redis commands per item (a saga step, a plain job, a saga start), by command name. */
export interface CommandCounts {
  items: number;
  /** Commands the worker processes sent, per step (or job); a MULTI … EXEC counts as one round trip. */
  sentPerItem: number;
  roundTripsPerItem: number;
  /** Commands run inside Lua scripts that the workers called, per step (or job). */
  insideScriptsPerItem: number;
  sentByName: Record<string, number>;
  /** What the producer (the bench, in the API's place) sent per saga started or job added. */
  producerSentPerItem: number;
  producerByName: Record<string, number>;
}

class Tally {
  sent = 0;
  roundTrips = 0;
  insideScripts = 0;
  byName: Record<string, number> = {};
  private inMulti = false;

  add(command: string): void {
    this.sent++;
    this.byName[command] = (this.byName[command] ?? 0) + 1;
    if (command === 'multi') this.inMulti = true;
    if (!this.inMulti) this.roundTrips++;
    if (command === 'exec') this.inMulti = false;
  }

  perItem(items: number): Record<string, number> {
    return Object.fromEntries(
      Object.entries(this.byName)
        .sort(([, a], [, b]) => b - a)
        .map(([name, count]) => [name, round(count / items, 2)]),
    );
  }
}

/**
 * Counts the Redis commands of a small run with MONITOR: `items` sagas (or plain jobs) queued by the bench,
 * then drained by one worker process at concurrency 10. Commands are told apart by the connection that sent
 * them; a command inside a Lua script is counted for the script's caller.
 */
export async function countCommands(harness: Harness, kind: 'saga' | 'plain', items: number): Promise<CommandCounts> {
  await harness.flush();
  const [worker] = await harness.workers(kind, 1);
  const addressOf = async (connection: Redis): Promise<string | undefined> =>
    /addr=(\S+)/.exec(String(await connection.call('CLIENT', 'INFO')))?.[1];
  const poller = harness.redis.duplicate();
  const [producerAddress, pollerAddress] = [await addressOf(harness.redis), await addressOf(poller)];
  const producer = new Tally();
  const workers = new Tally();
  const monitor = await harness.redis.monitor();
  let caller: Tally | undefined;
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source === 'lua') {
      if (caller) caller.insideScripts++;
      return;
    }
    // The bench's polling for the end of the run is nobody's work.
    caller = source === producerAddress ? producer : source === pollerAddress ? undefined : workers;
    caller?.add(String(args[0]).toLowerCase());
  });
  const left = (): Promise<number> =>
    kind === 'saga'
      ? poller.zcard(harness.store.keys.active(0))
      : poller
          .llen(harness.queueKey('plain', 'wait'))
          .then(async (wait) => wait + (await poller.llen(harness.queueKey('plain', 'active'))));
  try {
    await sleep(100);
    if (kind === 'saga') await harness.startSagas(items);
    else await harness.addPlainJobs(items);
    worker.go(10);
    while ((await left()) > 0) await sleep(20);
    await sleep(200);
  } finally {
    monitor.disconnect();
    poller.disconnect();
    await worker.halt();
  }
  const perStep = kind === 'saga' ? items * BENCH_STEPS : items;
  return {
    items,
    sentPerItem: round(workers.sent / perStep, 2),
    roundTripsPerItem: round(workers.roundTrips / perStep, 2),
    insideScriptsPerItem: round(workers.insideScripts / perStep, 2),
    sentByName: workers.perItem(perStep),
    producerSentPerItem: round(producer.sent / items, 2),
    producerByName: producer.perItem(items),
  };
}

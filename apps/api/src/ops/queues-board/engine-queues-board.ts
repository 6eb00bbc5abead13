import { Injectable, type OnModuleInit } from '@nestjs/common';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { InjectBullBoard, type BullBoardInstance } from '@bull-board/nestjs';
import { SagaQueues, SagaRegistry, poolsOf } from '@sagaflow/core';

/**
 * Puts every queue the engine uses on the board: one per registered saga, found from the registry rather than
 * listed here, so a saga registered with `SagaModule.forFeature` shows up by itself, one per pool, and the events
 * queue. `BullBoardModule.forFeature` would need the names when the modules are declared, before the registry is
 * filled. Over several shards each shard's queues are listed, named `shard <n>/<queue>`.
 */
@Injectable()
export class EngineQueuesBoard implements OnModuleInit {
  constructor(
    @InjectBullBoard() private readonly board: BullBoardInstance,
    private readonly registry: SagaRegistry,
    private readonly queues: SagaQueues,
  ) {}

  onModuleInit(): void {
    const shards = this.queues.keys.shards();
    for (const shard of shards) {
      const prefix = shards.length > 1 ? `shard ${shard}/` : undefined;
      const queues = [
        ...this.registry.names().map((saga) => ({
          queue: this.queues.get(saga, shard),
          description: `Steps of the ${saga} saga`,
        })),
        ...poolsOf(this.registry.all()).map((pool) => ({
          queue: this.queues.pool(pool, shard),
          description: `Steps of every saga that run in the ${pool} pool`,
        })),
      ];
      for (const { queue, description } of queues)
        this.board.addQueue(new BullMQAdapter(queue, { description, prefix }));
    }
    const events = 'Events published by other services (POST /events does not use it)';
    this.board.addQueue(new BullMQAdapter(this.queues.events(), { description: events }));
  }
}

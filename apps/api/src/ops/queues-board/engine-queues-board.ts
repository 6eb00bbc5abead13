import { Injectable, type OnModuleInit } from '@nestjs/common';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { InjectBullBoard, type BullBoardInstance } from '@bull-board/nestjs';
import { SagaQueues, SagaRegistry, poolsOf } from '@sagaflow/core';

/**
 * Puts every queue the engine uses on the board: one per registered saga, found from the registry rather than
 * listed here, so a saga registered with `SagaModule.forFeature` shows up by itself, one per pool, and the events
 * queue. `BullBoardModule.forFeature` would need the names when the modules are declared, before the registry is
 * filled. Over several shards each shard's saga queues are listed, named `shard <n>/<queue>`.
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
      for (const saga of this.registry.names()) {
        const description = `Steps of the ${saga} saga`;
        this.board.addQueue(new BullMQAdapter(this.queues.get(saga, shard), { description, prefix }));
      }
    }
    for (const pool of poolsOf(this.registry.all())) {
      const description = `Steps of every saga that run in the ${pool} pool`;
      this.board.addQueue(new BullMQAdapter(this.queues.pool(pool), { description }));
    }
    const events = 'Events published by other services (POST /events does not use it)';
    this.board.addQueue(new BullMQAdapter(this.queues.events(), { description: events }));
  }
}

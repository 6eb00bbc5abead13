import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { InjectBullBoard, type BullBoardInstance } from '@bull-board/nestjs';
import { EVENTS_QUEUE, SagaRegistry, poolQueueName, poolsOf, queueName } from '@sagaflow/core';
import type { Queue } from 'bullmq';

/**
 * Puts every queue the engine uses on the board: one per registered saga, found from the registry rather than
 * listed here, so a saga registered with `SagaModule.forFeature` shows up by itself, and the events queue.
 * `BullBoardModule.forFeature` would need the names when the modules are declared, before the registry is filled.
 */
@Injectable()
export class EngineQueuesBoard implements OnModuleInit {
  constructor(
    @InjectBullBoard() private readonly board: BullBoardInstance,
    private readonly registry: SagaRegistry,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    const queues = [
      ...this.registry.names().map((saga) => ({ name: queueName(saga), description: `Steps of the ${saga} saga` })),
      ...poolsOf(this.registry.all()).map((pool) => ({
        name: poolQueueName(pool),
        description: `Steps of every saga that run in the ${pool} pool`,
      })),
      { name: EVENTS_QUEUE, description: 'Events published by other services (POST /events does not use it)' },
    ];
    for (const { name, description } of queues) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      this.board.addQueue(new BullMQAdapter(queue, { description }));
    }
  }
}

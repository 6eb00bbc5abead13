import { Module } from '@nestjs/common';
import { FastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule } from '@bull-board/nestjs';
import { EngineQueuesBoard } from './engine-queues-board';
import { QUEUES_BOARD_ROUTE } from './queues-board.constants';
import { QueuesBoardRedisGuard } from './queues-board-redis.guard';

/** Bull Board at {@link QUEUES_BOARD_ROUTE}, on every queue of the engine: inspect, retry and clean jobs. */
@Module({
  imports: [
    BullBoardModule.forRoot({
      route: QUEUES_BOARD_ROUTE,
      adapter: FastifyAdapter,
      boardOptions: { uiConfig: { boardTitle: 'sagaflow queues' } },
    }),
  ],
  providers: [EngineQueuesBoard, QueuesBoardRedisGuard],
})
export class QueuesBoardModule {}

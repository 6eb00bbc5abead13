import { Module } from '@nestjs/common';
import { FastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule, type BullBoardModuleOptions } from '@bull-board/nestjs';
import { EngineQueuesBoard } from './engine-queues-board';
import { QUEUES_BOARD_ROUTE } from './queues-board.constants';
import { QueuesBoardRedisGuard } from './queues-board-redis.guard';

/** Bull Board at {@link QUEUES_BOARD_ROUTE}, on every queue of the engine: inspect, retry and clean jobs. */
@Module({
  imports: [
    BullBoardModule.forRoot({
      route: QUEUES_BOARD_ROUTE,
      // @bull-board/fastify 9.10.1 brings its own copy of @bull-board/api (9.10.1, beside our 9.10.2), whose
      // classes TypeScript sees as distinct; at run time the adapter only hands the queues over.
      adapter: FastifyAdapter as unknown as BullBoardModuleOptions['adapter'],
      boardOptions: { uiConfig: { boardTitle: 'sagaflow queues' } },
    }),
  ],
  providers: [EngineQueuesBoard, QueuesBoardRedisGuard],
})
export class QueuesBoardModule {}

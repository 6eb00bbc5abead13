import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { SagaErrorCode } from '@sagaflow/core';
import { SAGA_REDIS } from '@sagaflow/nestjs';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { ErrorBody } from '@sagaflow/server';
import { QUEUES_BOARD_ROUTE } from './queues-board.constants';

/**
 * Answers the board's API with 503 at once while the engine's Redis connection is down, as the rest of the API
 * does. BullMQ would otherwise wait for the connection to come back, holding the request, and a graceful
 * shutdown behind it, for as long as Redis is away. The board is a Fastify plugin, not a Nest controller, so the
 * check is a Fastify hook.
 */
@Injectable()
export class QueuesBoardRedisGuard implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(SAGA_REDIS) private readonly redis: Redis,
  ) {}

  onModuleInit(): void {
    const api = `${QUEUES_BOARD_ROUTE}/api/`;
    const body: ErrorBody = {
      statusCode: 503,
      code: SagaErrorCode.StoreUnavailable,
      message: 'Redis is unreachable; the queues cannot be read or changed. Try again shortly.',
    };
    this.adapterHost.httpAdapter.getInstance<FastifyInstance>().addHook('onRequest', (request, reply, done) => {
      if (this.redis.status === 'ready' || !request.url.startsWith(api)) return done();
      void reply.code(503).send(body);
    });
  }
}

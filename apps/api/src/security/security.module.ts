import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { ApiConfig } from '../config/api.config';
import { KeyThrottlerGuard } from './key-throttler.guard';

/** Rate limiting of every route (429), per API key, at `SAGAFLOW_RATE_LIMIT_PER_MINUTE`. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<ApiConfig, true>) => {
        const limit = config.get<number>('SAGAFLOW_RATE_LIMIT_PER_MINUTE');
        return { throttlers: [{ ttl: 60_000, limit }], skipIf: () => limit === 0 };
      },
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: KeyThrottlerGuard }],
})
export class SecurityModule {}

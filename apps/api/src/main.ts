import 'reflect-metadata';
import { Logger, ValidationPipe } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { ApiModule } from './api.module';
import type { ApiConfig } from './config/api.config';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { validationExceptionFactory } from './http/validation-exception.factory';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(ApiModule);
  app.useGlobalPipes(
    new ValidationPipe({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      exceptionFactory: validationExceptionFactory,
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();
  const config = app.get<ConfigService<ApiConfig, true>>(ConfigService);
  await app.listen(config.get('PORT'));
  const { port } = app.getHttpServer().address() as AddressInfo;
  new Logger('Api').log(`sagaflow API listening on port ${port} (pid ${process.pid})`);
}

void bootstrap();

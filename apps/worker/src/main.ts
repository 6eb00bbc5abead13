import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule);
  // On SIGTERM/SIGINT the workers stop taking jobs and finish the ones they hold before the process exits.
  app.enableShutdownHooks();
  new Logger('Worker').log(`sagaflow worker started (pid ${process.pid})`);
}

void bootstrap();

import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  // Lines logged while the modules start are held until pino takes over, so that they share its format.
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  // On SIGTERM/SIGINT the workers stop taking jobs and finish the ones they hold before the process exits.
  app.enableShutdownHooks();
  logger.log(`sagaflow worker started (pid ${process.pid})`, 'Worker');
}

void bootstrap();

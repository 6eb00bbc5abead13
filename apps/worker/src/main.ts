import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { startTracing } from '@sagaflow/server';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  // Before Nest makes the engine, which looks for an OpenTelemetry SDK once.
  startTracing('sagaflow-worker', process.env);
  // Lines logged while the modules start are held until pino takes over, so that they share its format.
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  // On SIGTERM/SIGINT the workers stop taking jobs and finish the ones they hold before the process exits.
  app.enableShutdownHooks();
  logger.log(`sagaflow worker started (pid ${process.pid})`, 'Worker');
}

bootstrap().catch((error: Error) => {
  // A refused configuration is the operator's to fix: its message says what, a stack trace would not help.
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});

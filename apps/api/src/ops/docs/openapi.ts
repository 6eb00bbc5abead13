import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Where the OpenAPI UI is served; the document itself is at `<path>-json`. */
export const OPENAPI_PATH = 'docs';

/**
 * Serves the OpenAPI document of every controller at `/docs-json`, and Swagger UI on it at `/docs`. The
 * document is built from the controllers' decorators the first time it is asked for, so that it costs the start-up nothing.
 */
export function setUpOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('sagaflow')
    .setDescription(
      'Starts sagas and follows them, publishes the events that start and resume them, and operates the engine. ' +
        'Every error answers `{ statusCode, code, message, errors? }`. Bull Board, at /admin/queues, is not part ' +
        'of this document.',
    )
    .setVersion('1')
    .addTag('sagas', 'Start, list, inspect, cancel, retry and resolve sagas')
    .addTag('events', 'Publish the events that start sagas and end their waits')
    .addTag('demo', "The sample gateways' read-outs, to watch what the sample sagas did")
    .addTag('operations', 'Health probes and Prometheus metrics')
    .build();
  SwaggerModule.setup(OPENAPI_PATH, app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: `${OPENAPI_PATH}-json`,
  });
}

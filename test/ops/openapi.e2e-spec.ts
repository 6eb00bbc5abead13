import { SagaflowSystem } from '../support/apps';

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { tags?: string[]; responses: Record<string, { content?: object }> }>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

/** Every route of the API's own controllers, as OpenAPI writes it. */
const ROUTES = [
  'POST /sagas/{name}',
  'GET /sagas',
  'GET /sagas/counts',
  'GET /sagas/{id}',
  'POST /sagas/{id}/retry',
  'POST /sagas/{id}/cancel',
  'POST /sagas/{id}/resolve',
  'POST /sagas/{id}/signals/{name}',
  'GET /sagas/{id}/queries/{name}',
  'POST /sagas/bulk',
  'GET /sagas/bulk',
  'GET /sagas/bulk/{id}',
  'POST /events',
  'GET /demo/inventory',
  'GET /demo/inventory/{sku}',
  'GET /demo/payments/{orderId}',
  'GET /demo/shipments/{orderId}',
  'POST /demo/shipments/{orderId}/deliver',
  'GET /demo/accounts',
  'GET /demo/accounts/{id}',
  'POST /demo/accounts',
  'POST /demo/accounts/{id}/unfreeze',
  'GET /demo/ledger/{idempotencyKey}',
  'GET /demo/loyalty/{memberId}',
  'GET /health',
  'GET /health/live',
  'GET /health/ready',
  'GET /metrics',
];

describe('OpenAPI', () => {
  let system: SagaflowSystem;
  let document: OpenApiDocument;

  beforeAll(async () => {
    system = await SagaflowSystem.start({ workers: 0 });
    const { status, body } = await system.request<OpenApiDocument>('GET', '/docs-json');
    expect(status).toBe(200);
    document = body;
  });

  afterAll(() => system.stop());

  it('/docs-json lists every route of the API', () => {
    const listed = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );

    expect(document.openapi).toMatch(/^3\./);
    expect(listed).toEqual(expect.arrayContaining(ROUTES));
  });

  it('documents the error answers of the saga endpoints with the API error body', () => {
    const start = document.paths['/sagas/{name}'].post;
    const cancel = document.paths['/sagas/{id}/cancel'].post;

    expect(Object.keys(start.responses)).toEqual(expect.arrayContaining(['202', '400', '404', '409', '503']));
    expect(Object.keys(cancel.responses)).toEqual(expect.arrayContaining(['202', '404', '409', '503']));
    const signal = document.paths['/sagas/{id}/signals/{name}'].post;
    const query = document.paths['/sagas/{id}/queries/{name}'].get;
    expect(Object.keys(signal.responses)).toEqual(expect.arrayContaining(['202', '400', '404', '409', '503']));
    expect(Object.keys(query.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '503']));
    expect(start.responses['409'].content).toEqual({
      'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } },
    });
    expect(Object.keys(document.components.schemas.ErrorResponse.properties ?? {})).toEqual(
      expect.arrayContaining(['statusCode', 'code', 'message', 'errors']),
    );
  });

  it('describes the request bodies and the saga record', () => {
    expect(Object.keys(document.components.schemas.PublishEventRequest.properties ?? {})).toEqual(
      expect.arrayContaining(['id', 'type', 'key', 'payload']),
    );
    expect(Object.keys(document.components.schemas.SagaRecordResponse.properties ?? {})).toEqual(
      expect.arrayContaining(['id', 'name', 'status', 'input', 'steps', 'history']),
    );
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await fetch(`${system.baseUrl}/docs`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('swagger-ui');
  });
});

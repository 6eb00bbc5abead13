/*
 * The NATS v3 packages declare their types against `@nats-io/nats-core/internal`, a subpath export. TypeScript's
 * node10 module resolution (this project's) does not read `exports`, so without this the client's types (the
 * connection, messages, headers) would silently become `any`. Node and Jest resolve the subpath at run time.
 */
declare module '@nats-io/nats-core/internal' {
  export * from '@nats-io/nats-core/lib/internal_mod';
}

/** Longest exchange or queue name, or binding key, that AMQP allows (a short string). */
export const MAX_NAME_BYTES = 255;

/** @throws RangeError unless `url` is an `amqp:` or `amqps:` URL */
export function checkUrl(url: unknown): void {
  if (typeof url !== 'string' || !/^amqps?:\/\/./.test(url)) {
    throw optionError('url', 'must be an amqp:// or amqps:// URL, such as amqp://guest:guest@127.0.0.1:5672');
  }
}

/** @throws RangeError unless `name` is a usable exchange or queue name */
export function checkName(option: string, name: unknown): void {
  // Names starting with amq. are reserved by the broker, and '' is the default exchange or a server-named queue.
  if (typeof name !== 'string' || name === '' || name.startsWith('amq.') || Buffer.byteLength(name) > MAX_NAME_BYTES) {
    throw optionError(option, `must be a name of 1 to ${MAX_NAME_BYTES} bytes that does not start with "amq."`);
  }
}

/** @throws RangeError unless `ms` is a whole number of milliseconds, 0 or more */
export function checkDelay(option: string, ms: unknown): void {
  if (!Number.isInteger(ms) || (ms as number) < 0)
    throw optionError(option, 'must be a whole number of milliseconds, 0 or more');
}

/** The error for an option at fault, naming it and its rule. */
export function optionError(option: string, rule: string): RangeError {
  return new RangeError(`RabbitMQ option "${option}" ${rule}. Check your configuration.`);
}

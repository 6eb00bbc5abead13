import type { CommandName } from './cli-commands';
import type { Invocation } from './parse-args';
import { UsageError } from './usage-error';

/** One HTTP call to the API. */
export interface ApiRequest {
  method: 'GET' | 'POST';
  /** The path and query, already encoded. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

type Run = Extract<Invocation, { kind: 'run' }>;

const segment = encodeURIComponent;

function parseJson(text: string, what: string, command: CommandName): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} is not valid JSON: ${(error as Error).message}`, command);
  }
}

function positiveInteger(value: string | undefined, option: string, command: CommandName): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`--${option} must be a positive integer, not "${value}".`, command);
  }
  return Number(value);
}

/** `--tags a:1,b:2` as the API's repeated `tag=a:1&tag=b:2`; the API checks each tag. */
function tagQuery(tags: string | undefined): string {
  const pairs = (tags ?? '').split(',').flatMap((tag): [string, string][] => (tag ? [['tag', tag]] : []));
  return new URLSearchParams(pairs).toString();
}

/** `--tags a:1,b:2` as a bulk filter's `{ a: '1', b: '2' }` (a value may hold `:`); the API checks each tag. */
function tagObject(tags: string): Record<string, string> {
  const pairs = tags.split(',').filter(Boolean);
  return Object.fromEntries(pairs.map((tag) => [tag.slice(0, tag.indexOf(':')), tag.slice(tag.indexOf(':') + 1)]));
}

function idempotencyHeader(key: string | undefined): Pick<ApiRequest, 'headers'> {
  return key !== undefined ? { headers: { 'idempotency-key': key } } : {};
}

/**
 * The request a parsed command makes. Pure but for `readFile`, which `--input-file` uses.
 * @throws UsageError for JSON that does not parse, both `--input` and `--input-file`, or a bad number
 */
export function toApiRequest(run: Run, readFile: (path: string) => string): ApiRequest {
  const { command, args, options } = run;
  switch (command) {
    case 'start': {
      if (options.input !== undefined && options['input-file'] !== undefined) {
        throw new UsageError('Give --input or --input-file, not both.', command);
      }
      let input: unknown = {};
      if (options.input !== undefined) input = parseJson(options.input, '--input', command);
      if (options['input-file'] !== undefined) {
        const file = options['input-file'];
        let text: string;
        try {
          text = readFile(file);
        } catch (error) {
          throw new UsageError(`Cannot read --input-file "${file}": ${(error as Error).message}`, command);
        }
        input = parseJson(text, `--input-file "${file}"`, command);
      }
      const query = tagQuery(options.tags);
      return {
        method: 'POST',
        path: `/sagas/${segment(args.saga)}${query ? `?${query}` : ''}`,
        body: input,
        ...idempotencyHeader(options['idempotency-key']),
      };
    }
    case 'rerun':
      return {
        method: 'POST',
        path: `/sagas/${segment(args.sagaId)}/rerun`,
        body: {},
        ...idempotencyHeader(options['idempotency-key']),
      };
    case 'status':
      positiveInteger(options.history, 'history', command);
      return { method: 'GET', path: `/sagas/${segment(args.sagaId)}` };
    case 'list': {
      positiveInteger(options.limit, 'limit', command);
      const query = new URLSearchParams(tagQuery(options.tags));
      for (const name of ['name', 'status', 'key', 'limit', 'cursor']) {
        const value = options[name];
        if (value !== undefined) query.set(name, value);
      }
      const search = query.toString();
      return { method: 'GET', path: search ? `/sagas?${search}` : '/sagas' };
    }
    case 'cancel':
      return {
        method: 'POST',
        path: `/sagas/${segment(args.sagaId)}/cancel`,
        body: options.reason !== undefined ? { reason: options.reason } : {},
      };
    case 'retry':
      return {
        method: 'POST',
        path: `/sagas/${segment(args.sagaId)}/retry`,
        body: options.note !== undefined ? { note: options.note } : {},
      };
    case 'resolve':
      return { method: 'POST', path: `/sagas/${segment(args.sagaId)}/resolve`, body: { note: options.note } };
    case 'bulk cancel':
    case 'bulk retry':
    case 'bulk resolve': {
      const filter: Record<string, unknown> = Object.fromEntries(
        ['name', 'status', 'key', 'from', 'to'].flatMap((name) =>
          options[name] !== undefined ? [[name, options[name]]] : [],
        ),
      );
      if (options.tags !== undefined) filter.tags = tagObject(options.tags);
      if (Object.keys(filter).length === 0) {
        throw new UsageError('Give at least one of --name, --status, --key, --tags, --from, --to.', command);
      }
      const { reason, note } = options;
      return {
        method: 'POST',
        path: '/sagas/bulk',
        body: {
          operation: command.slice('bulk '.length),
          filter,
          ...(reason !== undefined && { reason }),
          ...(note !== undefined && { note }),
        },
      };
    }
    case 'bulk status':
      return { method: 'GET', path: `/sagas/bulk/${segment(args.bulkId)}` };
    case 'publish': {
      const event: Record<string, unknown> = { type: args.type };
      if (options.id !== undefined) event.id = options.id;
      if (options.key !== undefined) event.key = options.key;
      if (options.payload !== undefined) event.payload = parseJson(options.payload, '--payload', command);
      return { method: 'POST', path: '/events', body: event };
    }
    case 'signal':
      return {
        method: 'POST',
        path: `/sagas/${segment(args.sagaId)}/signals/${segment(args.name)}`,
        body: parseJson(args.payload, '<payload>', command),
        ...idempotencyHeader(options['idempotency-key']),
      };
    case 'query':
      return { method: 'GET', path: `/sagas/${segment(args.sagaId)}/queries/${segment(args.name)}` };
  }
}

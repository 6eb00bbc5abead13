import { parseArgs } from 'node:util';
import { COMMANDS, COMMAND_NAMES, GLOBAL_OPTIONS, type CommandName } from './cli-commands';
import { UsageError } from './usage-error';

/** @defaultValue the API of `npm run start:api` on this machine */
export const DEFAULT_URL = 'http://127.0.0.1:3000';

/** Where the API is and how to authenticate. */
export interface Connection {
  url: string;
  apiKey?: string;
}

/** A command line, parsed: either a request for help or a command to run. */
export type Invocation =
  | { kind: 'help'; command?: CommandName }
  | {
      kind: 'run';
      command: CommandName;
      /** The positional arguments, by name (`sagaId`, `saga`, `type`). */
      args: Record<string, string>;
      /** The command's own options that were given. */
      options: Record<string, string | undefined>;
      connection: Connection;
      json: boolean;
    };

const isCommand = (word: string): word is CommandName => (COMMAND_NAMES as readonly string[]).includes(word);

/**
 * Parses `argv` (without `node` and the script). Options may come before or after the arguments.
 * @param env - where `SAGAFLOW_URL` and `SAGAFLOW_API_KEY` are read from
 * @throws UsageError for an unknown command or option, a missing argument or required option, or an extra argument
 */
export function parseCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Invocation {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('No command given.');
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = rest[0];
    return { kind: 'help', command: topic !== undefined && isCommand(topic) ? topic : undefined };
  }
  if (!isCommand(first)) throw new UsageError(`Unknown command "${first}".`);
  const spec = COMMANDS[first];

  const options = { ...GLOBAL_OPTIONS, ...spec.options };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        Object.entries(options).map(([name, option]) => [
          name,
          name === 'help' ? { type: option.type, short: 'h' } : { type: option.type },
        ]),
      ),
    });
  } catch (error) {
    // parseArgs explains itself ("Unknown option '--foo'", "Option '--note <value>' argument missing").
    throw new UsageError((error as Error).message, first);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help === true) return { kind: 'help', command: first };

  const { positionals } = parsed;
  if (positionals.length < spec.positionals.length) {
    throw new UsageError(`Missing <${spec.positionals[positionals.length]}>.`, first);
  }
  if (positionals.length > spec.positionals.length) {
    throw new UsageError(`Unexpected argument "${positionals[spec.positionals.length]}".`, first);
  }
  for (const [name, option] of Object.entries(spec.options)) {
    if (option.required && (values[name] === undefined || values[name] === '')) {
      throw new UsageError(`--${name} is required.`, first);
    }
  }

  const url = (values.url as string | undefined) ?? env.SAGAFLOW_URL ?? DEFAULT_URL;
  try {
    new URL(url);
  } catch {
    throw new UsageError(`--url "${url}" is not a URL (e.g. http://127.0.0.1:3000).`, first);
  }
  const apiKey = (values['api-key'] as string | undefined) ?? (env.SAGAFLOW_API_KEY || undefined);
  return {
    kind: 'run',
    command: first,
    args: Object.fromEntries(spec.positionals.map((name, index) => [name, positionals[index]])),
    options: Object.fromEntries(
      Object.keys(spec.options)
        .filter((name) => values[name] !== undefined)
        .map((name) => [name, values[name] as string]),
    ),
    connection: { url: url.replace(/\/+$/, ''), ...(apiKey ? { apiKey } : {}) },
    json: values.json === true,
  };
}

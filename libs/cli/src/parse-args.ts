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
    const topic = rest[0] === 'bulk' && rest[1] !== undefined ? `bulk ${rest[1]}` : rest[0];
    return { kind: 'help', command: topic !== undefined && isCommand(topic) ? topic : undefined };
  }
  // `bulk` takes its operation as a second word: `sagaflow bulk cancel --name transfer`.
  const [command, words] =
    first === 'bulk' && rest[0] !== undefined ? [`bulk ${rest[0]}`, rest.slice(1)] : [first, rest];
  if (!isCommand(command)) throw new UsageError(`Unknown command "${command}".`);
  const spec = COMMANDS[command];

  const options = { ...GLOBAL_OPTIONS, ...spec.options };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...words],
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
    throw new UsageError((error as Error).message, command);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help === true) return { kind: 'help', command };

  const { positionals } = parsed;
  if (positionals.length < spec.positionals.length) {
    throw new UsageError(`Missing <${spec.positionals[positionals.length]}>.`, command);
  }
  if (positionals.length > spec.positionals.length) {
    throw new UsageError(`Unexpected argument "${positionals[spec.positionals.length]}".`, command);
  }
  for (const [name, option] of Object.entries(spec.options)) {
    if (option.required && (values[name] === undefined || values[name] === '')) {
      throw new UsageError(`--${name} is required.`, command);
    }
  }

  const url = (values.url as string | undefined) ?? env.SAGAFLOW_URL ?? DEFAULT_URL;
  try {
    new URL(url);
  } catch {
    throw new UsageError(`--url "${url}" is not a URL (e.g. http://127.0.0.1:3000).`, command);
  }
  const apiKey = (values['api-key'] as string | undefined) ?? (env.SAGAFLOW_API_KEY || undefined);
  return {
    kind: 'run',
    command,
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

/** One option of a command, as `node:util` parseArgs takes it, with its help text. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
  /** The placeholder shown in the usage, e.g. `<json>`. */
  value?: string;
  required?: boolean;
}

/** A command of the CLI: its positional arguments (all required) and its own options. */
export interface CommandSpec {
  name: CommandName;
  summary: string;
  positionals: readonly string[];
  options: Readonly<Record<string, OptionSpec>>;
}

export const COMMAND_NAMES = [
  'start',
  'status',
  'list',
  'cancel',
  'retry',
  'resolve',
  'rerun',
  'publish',
  'signal',
  'query',
  'bulk cancel',
  'bulk retry',
  'bulk resolve',
  'bulk status',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** Tags of a start, comma separated: values cannot hold a comma. */
const TAGS_OPTION: OptionSpec = {
  type: 'string',
  value: '<name:value,…>',
  description: 'Tags to find the saga by, such as customerId:c-1,region:eu.',
};

/** The filters of `list` that a bulk operation takes; at least one must be given. */
const BULK_FILTERS: Readonly<Record<string, OptionSpec>> = {
  name: { type: 'string', value: '<saga>', description: 'Only the sagas of this name.' },
  status: { type: 'string', value: '<status>', description: 'Only the sagas in this status.' },
  key: { type: 'string', value: '<key>', description: 'Only the sagas started by or waiting for this key.' },
  tags: { type: 'string', value: '<name:value,…>', description: 'Only the sagas started with all these tags.' },
  from: { type: 'string', value: '<time>', description: 'Only the sagas created at or after this ISO 8601 time.' },
  to: { type: 'string', value: '<time>', description: 'Only the sagas created at or before this ISO 8601 time.' },
};

/** Options every command takes. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  url: {
    type: 'string',
    value: '<url>',
    description: 'The API to talk to (default: $SAGAFLOW_URL or http://127.0.0.1:3000).',
  },
  'api-key': {
    type: 'string',
    value: '<key>',
    description: 'Sent as "Authorization: Bearer <key>" (default: $SAGAFLOW_API_KEY).',
  },
  json: { type: 'boolean', description: "Print the API's JSON answer instead of tables." },
  help: { type: 'boolean', description: 'Show this help.' },
};

export const COMMANDS: Readonly<Record<CommandName, CommandSpec>> = {
  start: {
    name: 'start',
    summary: 'Start a saga with an input (POST /sagas/:saga).',
    positionals: ['saga'],
    options: {
      input: { type: 'string', value: '<json>', description: 'The input, as JSON (default: {}).' },
      'input-file': { type: 'string', value: '<file>', description: 'Read the input (JSON) from a file.' },
      'idempotency-key': {
        type: 'string',
        value: '<key>',
        description: 'Starting again with this key answers the saga it started first.',
      },
      tags: TAGS_OPTION,
    },
  },
  status: {
    name: 'status',
    summary: 'Show a saga: its status, steps, what it waits for and the end of its history.',
    positionals: ['sagaId'],
    options: {
      history: { type: 'string', value: '<n>', description: 'How many history entries to show (default: 10).' },
    },
  },
  list: {
    name: 'list',
    summary: 'List sagas, newest first (GET /sagas).',
    positionals: [],
    options: {
      name: { type: 'string', value: '<saga>', description: 'Only the sagas of this name.' },
      status: { type: 'string', value: '<status>', description: 'Only the sagas in this status.' },
      key: { type: 'string', value: '<key>', description: 'Only the sagas started by or waiting for this key.' },
      tags: { type: 'string', value: '<name:value,…>', description: 'Only the sagas started with all these tags.' },
      limit: { type: 'string', value: '<n>', description: 'Sagas per page, 1-100 (default: 20).' },
      cursor: { type: 'string', value: '<cursor>', description: 'The next cursor printed by the previous page.' },
    },
  },
  cancel: {
    name: 'cancel',
    summary: 'Cancel a running or waiting saga: its succeeded steps are compensated.',
    positionals: ['sagaId'],
    options: { reason: { type: 'string', value: '<text>', description: 'Why, kept in the history.' } },
  },
  retry: {
    name: 'retry',
    summary: 'Retry the compensation of a compensation_failed saga.',
    positionals: ['sagaId'],
    options: { note: { type: 'string', value: '<text>', description: 'A note for the history.' } },
  },
  resolve: {
    name: 'resolve',
    summary: 'Mark a compensation_failed saga compensated, after fixing it by hand.',
    positionals: ['sagaId'],
    options: {
      note: { type: 'string', value: '<text>', required: true, description: 'What was done (required).' },
    },
  },
  rerun: {
    name: 'rerun',
    summary: 'Start a new saga with the input and tags of an ended one (POST /sagas/:id/rerun).',
    positionals: ['sagaId'],
    options: {
      'idempotency-key': {
        type: 'string',
        value: '<key>',
        description: 'Rerunning again with this key answers the saga the first rerun started.',
      },
    },
  },
  'bulk cancel': {
    name: 'bulk cancel',
    summary: 'Cancel every running or waiting saga a filter matches, showing the progress until done.',
    positionals: [],
    options: {
      ...BULK_FILTERS,
      reason: { type: 'string', value: '<text>', description: 'Why, kept in each history.' },
    },
  },
  'bulk retry': {
    name: 'bulk retry',
    summary: 'Retry the compensation of every compensation_failed saga a filter matches, until done.',
    positionals: [],
    options: { ...BULK_FILTERS, note: { type: 'string', value: '<text>', description: 'A note for each history.' } },
  },
  'bulk resolve': {
    name: 'bulk resolve',
    summary: 'Mark every compensation_failed saga a filter matches compensated, until done.',
    positionals: [],
    options: {
      ...BULK_FILTERS,
      note: { type: 'string', value: '<text>', required: true, description: 'What was done (required).' },
    },
  },
  'bulk status': {
    name: 'bulk status',
    summary: 'Show a bulk operation and its progress.',
    positionals: ['bulkId'],
    options: {},
  },
  publish: {
    name: 'publish',
    summary: 'Publish an event (POST /events): it starts and resumes the sagas that take it.',
    positionals: ['type'],
    options: {
      key: { type: 'string', value: '<key>', description: 'The correlation key (e.g. an order id).' },
      id: { type: 'string', value: '<id>', description: 'The event id; publishing it again does nothing more.' },
      payload: { type: 'string', value: '<json>', description: 'The payload, as JSON (default: none).' },
    },
  },
  signal: {
    name: 'signal',
    summary: 'Send a signal with a JSON payload to a saga (POST /sagas/:id/signals/:name).',
    positionals: ['sagaId', 'name', 'payload'],
    options: {
      'idempotency-key': {
        type: 'string',
        value: '<key>',
        description: 'Sending again with this key changes nothing and answers the first result.',
      },
    },
  },
  query: {
    name: 'query',
    summary: "Answer a query of a saga: its definition's function of the saga (GET /sagas/:id/queries/:name).",
    positionals: ['sagaId', 'name'],
    options: {},
  },
};

const optionLines = (options: Readonly<Record<string, OptionSpec>>): string[] => {
  const flags = Object.entries(options).map(([name, spec]) => [`--${name}${spec.value ? ` ${spec.value}` : ''}`, spec]);
  const width = Math.max(...flags.map(([flag]) => (flag as string).length));
  return flags.map(([flag, spec]) => `  ${(flag as string).padEnd(width)}  ${(spec as OptionSpec).description}`);
};

const synopsis = (spec: CommandSpec): string =>
  [
    `sagaflow ${spec.name}`,
    ...spec.positionals.map((name) => `<${name}>`),
    ...Object.entries(spec.options).map(([name, option]) => {
      const flag = `--${name}${option.value ? ` ${option.value}` : ''}`;
      return option.required ? flag : `[${flag}]`;
    }),
    '[options]',
  ].join(' ');

/** The help of one command, or the general help listing every command. */
export function usage(command?: CommandName): string {
  if (command) {
    const spec = COMMANDS[command];
    const own = Object.keys(spec.options).length ? ['', 'Options:', ...optionLines(spec.options)] : [];
    return [
      `Usage: ${synopsis(spec)}`,
      '',
      spec.summary,
      ...own,
      '',
      'Common options:',
      ...optionLines(GLOBAL_OPTIONS),
    ].join('\n');
  }
  const width = Math.max(...COMMAND_NAMES.map((name) => name.length));
  return [
    'Usage: sagaflow <command> [arguments] [options]',
    '',
    'Commands:',
    ...COMMAND_NAMES.map((name) => `  ${name.padEnd(width)}  ${COMMANDS[name].summary}`),
    '',
    'Common options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Run "sagaflow <command> --help" for the options of a command.',
    'Exit codes: 0 success, 1 the API answered an error (or could not be reached), 2 bad usage.',
  ].join('\n');
}

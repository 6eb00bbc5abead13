import type { CommandName } from './cli-commands';

/** Thrown for a command line the CLI cannot run: it prints the message and the usage, and exits with 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose usage to print; the general usage when undefined. */
    readonly command?: CommandName,
  ) {
    super(message);
    this.name = this.constructor.name;
  }
}

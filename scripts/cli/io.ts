/** What a CLI command may touch: its arguments, environment and output streams. Tests pass fakes. */
export interface CliIo {
  /** The command's result, and nothing else: with --json, exactly one JSON document. */
  stdout: (text: string) => void;
  /** Progress, notes and errors for the person at the terminal. */
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Where the user typed the command: relative paths given on the command line resolve against it. */
  cwd: string;
  /**
   * Where relative paths from environment variables (LOCAL_STATE_DIR, CAMPAIGN_SCHEMA) resolve: the
   * package root under `npm run`, as `npm start` and the functions resolve them. Defaults to `cwd`.
   */
  envBase?: string;
}

/**
 * The real process. `npm run` moves the working directory to the package root and leaves the
 * directory the user typed the command in in INIT_CWD, so command-line paths resolve against that.
 */
export const processIo = (): CliIo => ({
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.env.INIT_CWD || process.cwd(),
  envBase: process.cwd(),
});

/**
 * Resolves once everything written so far to `stream` has been handed to the OS. Writes to a pipe
 * are asynchronous: `process.exit()` right after a large write cuts the output at the pipe's
 * capacity (64 KiB), so the entry point waits on this before exiting.
 */
export function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    // Callbacks run in write order: this empty write's callback comes after every earlier write's.
    stream.write('', () => resolve());
  });
}

/** A problem with the user's input that ends the command with a one-line Vietnamese message. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Command = (args: string[], io: CliIo) => Promise<number>;

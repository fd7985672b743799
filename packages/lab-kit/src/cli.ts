import { parseArgs } from 'node:util';

/** A command line a tool cannot act on: the CLI prints the message and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One flag, described once: parsing and the help text both come from this. */
export interface Flag {
  /** Without the dashes. */
  readonly name: string;
  /** The value's placeholder in the help (LIST, N, DIR); absent for a switch. */
  readonly arg?: string;
  readonly help: string;
  /** A one-letter alias, e.g. 'h'. */
  readonly short?: string;
  /** The value when the flag is not given; the help shows it, so it is stated once. */
  readonly default?: string;
}

/** What a flag parses to: its string (never undefined with a default), a switch's boolean, or either for a table not known literally. */
type FlagValue<F extends Flag> = F extends { arg: string }
  ? F extends { default: string }
    ? string
    : string | undefined
  : 'arg' extends keyof F
    ? string | boolean | undefined
    : boolean;

/** The parsed values of a flag table, by flag name (typed per flag when the table is `as const`). */
export type FlagValues<F extends readonly Flag[]> = { [K in F[number] as K['name']]: FlagValue<K> };

/** The `--help` switch every CLI takes. */
export const HELP_FLAG = { name: 'help', short: 'h', help: 'this text' } as const satisfies Flag;

/**
 * The parseArgs options of a flag table: every flag with a value is a string that may repeat
 * (`--datasets a --datasets b` is `--datasets a,b`), every switch a boolean.
 */
export function parseArgsOptions(flags: readonly Flag[]) {
  return Object.fromEntries(
    flags.map((f) => {
      const option = f.arg ? ({ type: 'string', multiple: true } as const) : ({ type: 'boolean' } as const);
      return [f.name, f.short ? { ...option, short: f.short } : option];
    }),
  );
}

/**
 * parseArgs over `argv` with the table's flags; an unknown flag or a missing value is a UsageError.
 * A flag not given takes its default; a switch not given is false.
 */
export function parseFlags<const F extends readonly Flag[]>(
  argv: readonly string[],
  flags: F,
  positionals = false,
): { values: FlagValues<F>; positionals: string[] } {
  let parsed;
  try {
    // pnpm forwards a `--` of its own; it ends nothing here
    parsed = parseArgs({
      args: argv.filter((a) => a !== '--'),
      options: parseArgsOptions(flags),
      allowPositionals: positionals,
      strict: true,
    });
  } catch (err) {
    const msg = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(msg.replace(/^Unknown option '(--?[^']+)'.*$/s, 'unknown flag $1'));
  }
  const values: Record<string, string | boolean | undefined> = {};
  for (const f of flags) values[f.name] = f.arg ? f.default : false;
  for (const [k, v] of Object.entries(parsed.values)) values[k] = Array.isArray(v) ? v.join(',') : (v as boolean | undefined);
  return { values: values as FlagValues<F>, positionals: parsed.positionals };
}

/** Two aligned columns, indented by two spaces. */
export function rows(entries: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...entries.map(([a]) => a.length)) + 2;
  return entries.map(([a, b]) => `  ${a.padEnd(width)}${b}`).join('\n');
}

/** The help rows of a flag table: `--name ARG` and its help. */
export function flagRows(flags: readonly Flag[]): Array<readonly [string, string]> {
  return flags.map(
    (f) =>
      [
        `${f.short ? `-${f.short}, ` : ''}--${f.name}${f.arg ? ` ${f.arg}` : ''}`,
        f.default === undefined ? f.help : `${f.help} (default ${f.default})`,
      ] as const,
  );
}

/** A help section: a title line and its rows (commands, flags, presets, ...). */
export interface HelpSection {
  readonly title: string;
  readonly rows: ReadonlyArray<readonly [string, string]>;
}

/** The one help layout of the lab's CLIs: a usage line, titled sections of aligned rows, closing notes. */
export function formatHelp(usage: string, sections: readonly HelpSection[], notes = ''): string {
  const body = sections.map((s) => `${s.title}\n${rows(s.rows)}`).join('\n\n');
  return `${usage}\n\n${body}\n${notes ? `\n${notes.trimEnd()}\n` : ''}`;
}

/** Comma-separated names, trimmed, empty parts dropped. */
export function names(value: string): string[] {
  return value
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

/** `list` checked against `known`: a UsageError names every unknown entry and what is known; duplicates dropped. */
export function checkNames(what: string, list: readonly string[], known: readonly string[]): string[] {
  const unknown = list.filter((x) => !known.includes(x));
  if (unknown.length) {
    throw new UsageError(
      `unknown ${what}${unknown.length > 1 ? 's' : ''} ${unknown.map((x) => `'${x}'`).join(', ')} (known: ${known.join(', ')})`,
    );
  }
  if (list.length === 0) throw new UsageError(`no ${what} given (known: ${known.join(', ')})`);
  return [...new Set(list)];
}

/**
 * Run a CLI's main and exit with its status. A UsageError exits 2 with a pointer to the help; other
 * errors exit `failure` (the gate uses 2: having checked nothing is not a pass). `exit: false` sets
 * process.exitCode instead, for tools whose child processes or streams must drain first.
 */
export function runCli(tool: string, main: () => Promise<number>, options: { failure?: number; exit?: boolean } = {}): void {
  const done = (code: number) => (options.exit === false ? void (process.exitCode = code) : process.exit(code));
  main().then(done, (err: unknown) => {
    const usage = err instanceof UsageError;
    process.stderr.write(`${tool}: ${err instanceof Error ? err.message : String(err)}${usage ? `\n(${tool} --help for usage)` : ''}\n`);
    done(usage ? 2 : (options.failure ?? 1));
  });
}

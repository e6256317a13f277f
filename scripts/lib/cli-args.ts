/**
 * Every script's arguments go through parseScriptArgs: node:util parseArgs (strict), plus --help/-h
 * that prints the script's usage and exits 0, and a clear one-line error with exit code 2 for an
 * unknown flag, a missing value or an unexpected argument.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

type ScriptArgsConfig = Pick<ParseArgsConfig, "options" | "allowPositionals">;
const HELP_OPTION = { help: { type: "boolean", short: "h", default: false } } as const;

type WithHelp<T extends ScriptArgsConfig> = Omit<T, "options"> & {
  options: T["options"] & typeof HELP_OPTION;
  strict: true;
};

/** Parses this process's arguments (or `args`); --help prints `help` and exits 0, bad usage exits 2. */
export function parseScriptArgs<const T extends ScriptArgsConfig>(
  help: string,
  config: T,
  args: string[] = process.argv.slice(2),
): ReturnType<typeof parseArgs<WithHelp<T>>> {
  // --help wins over everything else on the line, even an unknown flag.
  if (args.includes("--help") || args.includes("-h")) {
    console.log(help);
    process.exit(0);
  }
  const full = { ...config, options: { ...config.options, ...HELP_OPTION }, strict: true, args } as WithHelp<T>;
  try {
    return parseArgs(full);
  } catch (error) {
    // Node adds advice on "--" to an unknown option; the first sentence is the clear part.
    usageError((error instanceof Error ? error.message : String(error)).replace(/\. To specify a positional.*$/s, ""));
  }
}

/** Bad usage: one line on stderr naming the problem and where to read more, then exit code 2. */
export function usageError(message: string): never {
  console.error(`${message.replace(/\s*\n\s*/g, " ")} (see --help)`);
  process.exit(2);
}

/** The one file or folder a script works on; anything else prints the usage and exits 2. */
export function onePositional(help: string, positionals: string[]): string {
  if (positionals.length !== 1) {
    console.log(help);
    process.exit(2);
  }
  return positionals[0]!;
}

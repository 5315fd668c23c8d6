/** What tests look for in CLI output. */

// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting ANSI escapes is the point
export const ANSI = /\u001b\[/;

/** A line of a V8 stack trace: bad input must never print one. */
export const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

const REFERENCE = /\$\$|\$\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replace `${NAME}` and `${NAME:-default}` with values from `env`, as shells and compose
 * files do: the default applies when the variable is unset or empty, and `$$` is a literal
 * `$`. A variable that is unset with no default is a problem, not an empty string: a trace
 * path like `traces/${BUILD_ID}/run.jsonl` must not quietly become `traces//run.jsonl`.
 */
export function interpolate(
  text: string,
  env: NodeJS.ProcessEnv,
): string | { readonly problem: string } {
  let problem: string | undefined;
  const out = text.replace(REFERENCE, (whole, inner: string | undefined) => {
    if (whole === '$$') return '$';
    const body = inner ?? '';
    const dash = body.indexOf(':-');
    const name = dash >= 0 ? body.slice(0, dash) : body;
    if (!NAME.test(name)) {
      problem ??= `\`${whole}\` is not a variable reference: write \${NAME} or \${NAME:-default} (and $$ for a literal $)`;
      return whole;
    }
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (dash >= 0) return body.slice(dash + 2);
    problem ??= `environment variable ${name} is not set (used as \`${whole}\`): set it, or give a default with \${${name}:-value}`;
    return whole;
  });
  return problem === undefined ? out : { problem };
}

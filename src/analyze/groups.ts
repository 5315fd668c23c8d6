/**
 * Grouping spans by service and by operation (service + span name), shared by the
 * analyses that rank groups.
 */

/** A map key for an operation: NUL cannot occur in a name a person would tell apart. */
export function operationKey(service: string, name: string): string {
  return `${service}\u0000${name}`;
}

/**
 * Larger `value` first; ties by service, then name, so that the order (and so every report
 * and snapshot) is the same on every run.
 */
export function largestFirst<T extends { readonly service: string; readonly name?: string }>(
  groups: Iterable<T>,
  value: (group: T) => number,
): T[] {
  return [...groups].sort(
    (a, b) =>
      value(b) - value(a) ||
      compareText(a.service, b.service) ||
      compareText(a.name ?? '', b.name ?? ''),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

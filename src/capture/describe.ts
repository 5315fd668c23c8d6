/** A provider's class name for messages (`NodeTracerProvider`), or a generic phrase. */
export function describeProvider(provider: unknown): string {
  const name = (provider as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? name : 'a tracer provider';
}

import { InputError } from '../errors';
import { typeName } from './any-value';
import type { FormatReader, TraceFormat } from './format';
import { jaegerJson } from './jaeger';
import { otlpJson } from './otlp-json';
import { zipkinJson } from './zipkin';

/** Every reader, in the order detection tries them: OTLP first, the format of record. */
export const READERS: readonly FormatReader[] = [otlpJson, jaegerJson, zipkinJson];

/** What each format looks like, for the message that says a file is none of them. */
const SHAPES: Readonly<Record<TraceFormat, string>> = {
  'otlp-json':
    'OTLP/JSON ({"resourceSpans": [...]}, one per line from the Collector file exporter; also Tempo\'s "batches" and Jaeger /api/v3\'s {"result": ...})',
  'jaeger-json':
    'Jaeger JSON ({"data": [...]} from /api/traces, or one trace with "traceID" and "spans")',
  'zipkin-json': 'Zipkin v2 JSON (an array of spans with "traceId" and "id")',
};

export function readerFor(format: TraceFormat): FormatReader {
  const reader = READERS.find((r) => r.format === format);
  if (!reader) {
    const known = READERS.map((r) => r.format).join(', ');
    throw new InputError({}, `unknown trace format "${format}"; tracespec reads ${known}`);
  }
  return reader;
}

/** The reader whose `detect` accepts `value`, or an InputError saying what the file looks like. */
export function detectReader(
  value: unknown,
  file: string | undefined,
  line: number | undefined,
): FormatReader {
  for (const reader of READERS) if (reader.detect(value)) return reader;
  const accepted = READERS.map((r) => SHAPES[r.format]).join('; ');
  throw new InputError(
    { file, line },
    `not a trace format tracespec recognises: ${describeTopLevel(value)}. It reads ${accepted}`,
  );
}

function describeTopLevel(value: unknown): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return 'the top level is an empty array';
    const first = value[0];
    const inner =
      first !== null && typeof first === 'object' && !Array.isArray(first)
        ? ` with keys ${keyList(first)}`
        : '';
    return `the top level is an array of ${value.length} item(s), the first ${typeName(first)}${inner}`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    return keys.length === 0
      ? 'the top level is an empty object'
      : `the top-level keys are ${keyList(value)}`;
  }
  return `the top level is ${typeName(value)}, not an object or array`;
}

function keyList(value: object): string {
  const keys = Object.keys(value);
  const shown = keys.slice(0, 8).map((k) => JSON.stringify(k));
  if (keys.length === 0) return '(none)';
  return keys.length > 8 ? `${shown.join(', ')} and ${keys.length - 8} more` : shown.join(', ');
}

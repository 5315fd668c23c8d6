/**
 * The bodies the receiver answers with, in the encoding of the request as OTLP/HTTP
 * requires: an `ExportTraceServiceResponse` on success (with `partial_success` when spans
 * were rejected), a `google.rpc.Status` on failure.
 */

import { WireWriter } from './wire';

export type Encoding = 'json' | 'protobuf';

export const CONTENT_TYPES: Readonly<Record<Encoding, string>> = {
  json: 'application/json',
  protobuf: 'application/x-protobuf',
};

/** gRPC status codes, for `google.rpc.Status.code`: clients only log it, but it says what kind. */
export const RPC = {
  invalidArgument: 3,
  notFound: 5,
  resourceExhausted: 8,
  unimplemented: 12,
  internal: 13,
  unavailable: 14,
  unauthenticated: 16,
} as const;

export interface PartialSuccess {
  readonly rejectedSpans: number;
  readonly errorMessage: string;
}

/**
 * `ExportTraceServiceResponse`. Without a partial success it is the empty message: `{}` in
 * JSON, zero bytes in protobuf.
 */
export function exportResponse(encoding: Encoding, partial: PartialSuccess | undefined): Buffer {
  if (encoding === 'json') {
    return Buffer.from(
      JSON.stringify(
        partial === undefined
          ? {}
          : {
              partialSuccess: {
                // int64 is a decimal string in OTLP/JSON; clients read numbers too.
                rejectedSpans: String(partial.rejectedSpans),
                errorMessage: partial.errorMessage,
              },
            },
      ),
    );
  }
  const out = new WireWriter();
  if (partial !== undefined) {
    // ExportTracePartialSuccess: rejected_spans = 1 (int64), error_message = 2 (string).
    const inner = new WireWriter()
      .varintField(1, partial.rejectedSpans)
      .stringField(2, partial.errorMessage);
    out.messageField(1, inner);
  }
  return out.finish();
}

/** `google.rpc.Status`: code = 1 (int32), message = 2 (string). */
export function statusBody(encoding: Encoding, code: number, message: string): Buffer {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }));
  return new WireWriter().varintField(1, code).stringField(2, message).finish();
}

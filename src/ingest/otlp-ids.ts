import { normalizeId } from '../model';

const LOWER = 1;
const UPPER = 2;
/** For each ASCII code: LOWER for 0-9 and a-f, UPPER for A-F, 0 for anything else. */
const HEX_KIND = new Uint8Array(128);
for (let c = 48; c <= 57; c++) HEX_KIND[c] = LOWER;
for (let c = 97; c <= 102; c++) HEX_KIND[c] = LOWER;
for (let c = 65; c <= 70; c++) HEX_KIND[c] = UPPER;

/**
 * OTLP ids: exactly 32 (trace) or 16 (span) hex digits in any case, or, as Grafana Tempo
 * and protobuf's JSON mapping write them, padded base64 of 16 or 8 bytes.
 *
 * Unlike the model's `normalizeId`, shorter hex is not padded: in OTLP a 16-digit trace id
 * is a broken id, not a 64-bit one.
 */
export function otlpId(text: string, width: 32 | 16): string | undefined {
  if (text.length === width) {
    // One table load per character: twice as fast as range comparisons, per span id.
    let seen = 0;
    for (let i = 0; i < width; i++) {
      const c = text.charCodeAt(i);
      const kind = c < 128 ? (HEX_KIND[c] as number) : 0;
      if (kind === 0) return undefined;
      seen |= kind;
    }
    return seen & UPPER ? text.toLowerCase() : text;
  }
  // Base64 of 16 or 8 bytes always ends in padding, so this never takes short hex for it.
  if (text.charCodeAt(text.length - 1) === 61 /* = */) {
    return normalizeId(text, width === 32 ? 16 : 8);
  }
  return undefined;
}

/** Why `otlpId` refused an id, for the error message. */
export function describeBadId(text: string, width: 32 | 16): string {
  const what = width === 32 ? 'a trace id' : 'a span id';
  const bytes = width / 2;
  const shown = text.length > 60 ? `${JSON.stringify(text.slice(0, 60))}...` : JSON.stringify(text);
  let hex = true;
  for (let i = 0; i < text.length && hex; i++) {
    const c = text.charCodeAt(i);
    hex = (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
  }
  if (hex) {
    return `${shown} has ${text.length} hex digits; ${what} has exactly ${width} (${bytes} bytes)`;
  }
  return `${shown} is neither ${width} hex digits nor base64 of ${bytes} bytes`;
}

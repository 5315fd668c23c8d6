/**
 * Trace and span ids in the wild: OTLP/JSON writes hex (any case), protobuf-JSON mappings
 * and Grafana Tempo write base64, Jaeger and Zipkin write hex of varying length (Zipkin
 * allows 64-bit trace ids). The model keeps lowercase hex of the full width.
 */

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Normalise an id to lowercase hex of `bytes` bytes. Shorter hex ids are left-padded
 * with zeros (Zipkin's and Jaeger's 64-bit trace ids). Returns undefined when the text is
 * neither hex of at most that width nor base64 of exactly that width.
 */
export function normalizeId(text: string, bytes: 8 | 16): string | undefined {
  const width = bytes * 2;
  if (text.length <= width && HEX.test(text)) {
    const lower = text.toLowerCase();
    return lower.length === width ? lower : lower.padStart(width, '0');
  }
  // base64 of 16 bytes is 24 chars, of 8 bytes 12 chars (both with padding).
  if (text.length === Math.ceil(bytes / 3) * 4 && BASE64.test(text)) {
    const raw = Buffer.from(text, 'base64');
    if (raw.length === bytes) return raw.toString('hex');
  }
  return undefined;
}

/** An all-zero id means "none" in OTLP (a root's parent id). */
export function isZeroId(hex: string): boolean {
  for (let i = 0; i < hex.length; i++) if (hex.charCodeAt(i) !== 48) return false;
  return true;
}

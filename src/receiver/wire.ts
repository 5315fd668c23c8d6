/**
 * The protobuf wire format, as far as OTLP needs it: reading varints, fixed-width numbers and
 * length-delimited fields (and skipping the fields a message does not know), and writing the
 * few small messages the receiver answers with.
 */

export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
export const SGROUP = 3;
export const EGROUP = 4;
export const I32 = 5;

const WIRE_NAMES = [
  'varint',
  '64-bit',
  'length-delimited',
  'start group',
  'end group',
  '32-bit',
  'wire type 6',
  'wire type 7',
];

export function wireName(wireType: number): string {
  return `${wireType} (${WIRE_NAMES[wireType] ?? 'unknown'})`;
}

/**
 * Bad protobuf bytes. `offset` is where in the (decompressed) body the bad field starts,
 * so that a dump of the request (`xxd`, `protoc --decode_raw`) can be read at that spot.
 */
export class ProtobufError extends Error {
  readonly offset: number;
  readonly reason: string;

  constructor(offset: number, reason: string) {
    super(`byte ${offset}: ${reason}`);
    this.offset = offset;
    this.reason = reason;
  }
}

const TWO_32 = 4294967296;

/**
 * A cursor over protobuf bytes. Message decoders read a tag, switch on the field number and
 * read the value; every read checks the bounds of the message it is in (`end`), so that a
 * length prefix that lies cannot make a read leave its message.
 */
export class WireReader {
  readonly buf: Buffer;
  pos = 0;
  /** Where the value of the last tag read starts: the offset an error about that field names. */
  fieldStart = 0;
  // The two halves of the last 64-bit varint read by `varint64`.
  lo = 0;
  hi = 0;

  constructor(buf: Buffer) {
    this.buf = buf;
  }

  /** A field's key: `fieldNumber << 3 | wireType`. */
  tag(end: number): number {
    this.fieldStart = this.pos;
    const tag = this.uint32(end);
    if (tag >>> 3 === 0) throw new ProtobufError(this.fieldStart, 'field number 0 is not valid');
    return tag;
  }

  /** A varint's low 32 bits, unsigned (uint32 fields, enums, lengths, tags). */
  uint32(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    // One byte covers tags of fields 1-15 and most counts: the common case first.
    if (pos < end) {
      const b = buf[pos] as number;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    let result = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (pos >= end) throw this.#truncated('a varint');
      const b = buf[pos++] as number;
      // Bits beyond 32 are dropped, as protobuf does when it reads a uint32 or an enum.
      if (shift < 32) result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) {
        this.pos = pos;
        return result >>> 0;
      }
    }
    throw new ProtobufError(this.fieldStart, 'a varint longer than 10 bytes');
  }

  /** A 64-bit varint into `lo` and `hi` (unsigned halves). */
  varint64(end: number): void {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw this.#truncated('a varint');
      const b = buf[pos++] as number;
      const bits = b & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= bits << 28;
        hi = bits >>> 4;
      } else hi |= bits << (7 * i - 32);
      if (b < 0x80) {
        this.pos = pos;
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        return;
      }
    }
    throw new ProtobufError(this.fieldStart, 'a varint longer than 10 bytes');
  }

  /** An int64 varint as a decimal string, as OTLP/JSON writes 64-bit integers. */
  int64String(end: number): string {
    this.varint64(end);
    return int64Decimal(this.lo, this.hi);
  }

  /** A fixed64 (little-endian) as an unsigned decimal string: span and event times. */
  fixed64String(end: number): string {
    const pos = this.pos;
    if (end - pos < 8) throw this.#truncated('a 64-bit value');
    const buf = this.buf;
    const lo = buf.readUInt32LE(pos);
    const hi = buf.readUInt32LE(pos + 4);
    this.pos = pos + 8;
    return uint64Decimal(lo, hi);
  }

  fixed32(end: number): number {
    const pos = this.pos;
    if (end - pos < 4) throw this.#truncated('a 32-bit value');
    this.pos = pos + 4;
    return this.buf.readUInt32LE(pos);
  }

  double(end: number): number {
    const pos = this.pos;
    if (end - pos < 8) throw this.#truncated('a 64-bit value');
    this.pos = pos + 8;
    return this.buf.readDoubleLE(pos);
  }

  /** The length of a length-delimited field; the field's bytes are [pos, pos + length). */
  length(end: number): number {
    const length = this.uint32(end);
    if (length > end - this.pos) {
      throw new ProtobufError(
        this.fieldStart,
        `a length-delimited field says it has ${length} bytes, but only ${end - this.pos} are left in its message (truncated body?)`,
      );
    }
    return length;
  }

  string(end: number): string {
    const length = this.length(end);
    const start = this.pos;
    this.pos = start + length;
    return length === 0 ? '' : this.buf.toString('utf8', start, start + length);
  }

  hex(end: number): string {
    const length = this.length(end);
    const start = this.pos;
    this.pos = start + length;
    return length === 0 ? '' : this.buf.toString('hex', start, start + length);
  }

  base64(end: number): string {
    const length = this.length(end);
    const start = this.pos;
    this.pos = start + length;
    return length === 0 ? '' : this.buf.toString('base64', start, start + length);
  }

  /** Skips the value of a field the decoder does not know: newer OTLP versions add fields. */
  skip(tag: number, end: number): void {
    const wireType = tag & 7;
    switch (wireType) {
      case VARINT:
        this.varint64(end);
        return;
      case I64:
        if (end - this.pos < 8) throw this.#truncated('a 64-bit value');
        this.pos += 8;
        return;
      case LEN: {
        // Not `this.pos += this.length(end)`: that adds to the position before the length.
        const length = this.length(end);
        this.pos += length;
        return;
      }
      case I32:
        if (end - this.pos < 4) throw this.#truncated('a 32-bit value');
        this.pos += 4;
        return;
      case SGROUP:
        this.#skipGroup(tag >>> 3, end);
        return;
      default:
        throw new ProtobufError(
          this.fieldStart,
          `field ${tag >>> 3} has ${wireType === EGROUP ? 'an end-group marker without a start' : `wire type ${wireType}, which protobuf does not define`} (not protobuf, or corrupt?)`,
        );
    }
  }

  /** Proto2 groups are obsolete, but a parser must still step over one it does not know. */
  #skipGroup(fieldNumber: number, end: number): void {
    const start = this.fieldStart;
    for (;;) {
      if (this.pos >= end) {
        throw new ProtobufError(start, `group of field ${fieldNumber} has no end-group marker`);
      }
      const tag = this.tag(end);
      if ((tag & 7) === EGROUP) {
        if (tag >>> 3 !== fieldNumber) {
          throw new ProtobufError(
            this.fieldStart,
            `group of field ${fieldNumber} ends with the marker of field ${tag >>> 3}`,
          );
        }
        return;
      }
      this.skip(tag, end);
    }
  }

  #truncated(what: string): ProtobufError {
    return new ProtobufError(
      this.fieldStart,
      `${what} runs past the end of its message (truncated body?)`,
    );
  }
}

const BILLION = 1_000_000_000;

/**
 * An unsigned 64-bit integer (two 32-bit halves) in decimal, exactly, without BigInt: a
 * nanosecond timestamp is above 2^53, and two BigInts per span cost more than the rest of
 * the span's decoding. Long division by 10^9, of the high half and then of two 16-bit limbs,
 * keeps every intermediate below 2^53.
 */
export function uint64Decimal(lo: number, hi: number): string {
  if (hi < 0x200000) return String(hi * TWO_32 + lo);
  let q = Math.floor(hi / BILLION);
  let r = hi - q * BILLION;
  let cur = r * 65536 + (lo >>> 16);
  let digit = Math.floor(cur / BILLION);
  r = cur - digit * BILLION;
  q = q * 65536 + digit;
  cur = r * 65536 + (lo & 0xffff);
  digit = Math.floor(cur / BILLION);
  r = cur - digit * BILLION;
  q = q * 65536 + digit;
  return `${q}${String(r).padStart(9, '0')}`;
}

/** A signed (two's complement) 64-bit integer in decimal. */
export function int64Decimal(lo: number, hi: number): string {
  if (hi < 0x80000000) return uint64Decimal(lo, hi);
  // Negate: -(~x + 1), with the carry from the low half into the high one.
  const nlo = (~lo + 1) >>> 0;
  const nhi = (~hi + (nlo === 0 ? 1 : 0)) >>> 0;
  // -2^63 negates to itself; as unsigned it is exactly 2^63.
  return `-${uint64Decimal(nlo, nhi)}`;
}

/** Builds a protobuf message: the receiver's responses, and test input. */
export class WireWriter {
  #chunks: number[] = [];

  get length(): number {
    return this.#chunks.length;
  }

  varint(value: number | bigint): this {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.#chunks.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.#chunks.push(Number(v));
    return this;
  }

  tag(fieldNumber: number, wireType: number): this {
    return this.varint(fieldNumber * 8 + wireType);
  }

  /** A varint field; zero is left out, as proto3 writes scalar defaults. */
  varintField(fieldNumber: number, value: number | bigint): this {
    if (value === 0 || value === 0n) return this;
    return this.tag(fieldNumber, VARINT).varint(value);
  }

  bytesField(fieldNumber: number, bytes: Uint8Array): this {
    this.tag(fieldNumber, LEN).varint(bytes.length);
    for (const b of bytes) this.#chunks.push(b);
    return this;
  }

  /** A string field; empty is left out. */
  stringField(fieldNumber: number, text: string): this {
    if (text === '') return this;
    return this.bytesField(fieldNumber, Buffer.from(text, 'utf8'));
  }

  messageField(fieldNumber: number, message: WireWriter): this {
    return this.bytesField(fieldNumber, message.finish());
  }

  fixed64Field(fieldNumber: number, value: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt.asUintN(64, value));
    this.tag(fieldNumber, I64);
    for (const x of b) this.#chunks.push(x);
    return this;
  }

  doubleField(fieldNumber: number, value: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(value);
    this.tag(fieldNumber, I64);
    for (const x of b) this.#chunks.push(x);
    return this;
  }

  fixed32Field(fieldNumber: number, value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value >>> 0);
    this.tag(fieldNumber, I32);
    for (const x of b) this.#chunks.push(x);
    return this;
  }

  /** Raw bytes, for tests that need malformed input. */
  raw(bytes: Iterable<number>): this {
    for (const b of bytes) this.#chunks.push(b);
    return this;
  }

  finish(): Buffer {
    return Buffer.from(this.#chunks);
  }
}

import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const FORTY_BITS = 2 ** 40;

/**
 * Sortable unique ids in the ULID format: 48-bit milliseconds, then 80 random bits. Within one
 * generator ids strictly increase: in the same millisecond (or if the clock steps back) the random
 * part is incremented instead of redrawn, so sorting by id is sorting by append order.
 */
export class AuditIdGenerator {
  private lastTime = -1;
  private hi = 0; // upper 40 random bits
  private lo = 0; // lower 40 random bits

  constructor(
    private readonly now: () => number = Date.now,
    private readonly random: (size: number) => Uint8Array = randomBytes,
  ) {}

  next(): string {
    const now = Math.max(0, Math.floor(this.now()));
    if (now > this.lastTime) {
      this.lastTime = now;
      const bytes = this.random(10);
      this.hi = readFortyBits(bytes, 0);
      this.lo = readFortyBits(bytes, 5);
    } else if (++this.lo === FORTY_BITS) {
      this.lo = 0;
      if (++this.hi === FORTY_BITS) {
        // 2^80 ids in one millisecond cannot happen; borrow the next millisecond to stay ordered.
        this.hi = 0;
        this.lastTime++;
      }
    }
    return encode(this.lastTime, 10) + encode(this.hi, 8) + encode(this.lo, 8);
  }
}

/** The millisecond time encoded in an id. */
export function idTime(id: string): number {
  let time = 0;
  for (let i = 0; i < 10; i++) time = time * 32 + CROCKFORD.indexOf(id[i] ?? '0');
  return time;
}

function readFortyBits(bytes: Uint8Array, offset: number): number {
  let value = 0;
  for (let i = 0; i < 5; i++) value = value * 256 + (bytes[offset + i] ?? 0);
  return value;
}

function encode(value: number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = CROCKFORD[value % 32]! + out;
    value = Math.floor(value / 32);
  }
  return out;
}

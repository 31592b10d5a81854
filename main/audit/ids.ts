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
  /** The encoded time and upper random bits, which change only with the millisecond. */
  private prefix = '';
  /** Random bytes drawn ahead, 10 per millisecond: one system call per 100 ms of ids, not per id. */
  private pool: Uint8Array = new Uint8Array(0);
  private poolAt = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly random: (size: number) => Uint8Array = randomBytes,
  ) {}

  next(): string {
    const now = Math.max(0, Math.floor(this.now()));
    if (now > this.lastTime) {
      this.lastTime = now;
      const at = this.takeRandom();
      this.hi = readFortyBits(this.pool, at);
      this.lo = readFortyBits(this.pool, at + 5);
      this.prefix = encode(this.lastTime, 10) + encode(this.hi, 8);
    } else if (++this.lo === FORTY_BITS) {
      this.lo = 0;
      if (++this.hi === FORTY_BITS) {
        // 2^80 ids in one millisecond cannot happen; borrow the next millisecond to stay ordered.
        this.hi = 0;
        this.lastTime++;
      }
      this.prefix = encode(this.lastTime, 10) + encode(this.hi, 8);
    }
    return this.prefix + encode(this.lo, 8);
  }

  /** The offset of 10 unused random bytes in the pool. */
  private takeRandom(): number {
    if (this.poolAt + 10 > this.pool.length) {
      this.pool = this.random(1000);
      this.poolAt = 0;
    }
    const at = this.poolAt;
    this.poolAt += 10;
    return at;
  }
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

/**
 * Dec: a signed fixed-point decimal with 18 fractional digits, on bigint.
 *
 * Rates, quorums and percentages in state (commission 0.05, VOTE_QUORUM 0.33,
 * INACTIVE_RANK_DECREASE_PERCENT 0.50) are Decs, never floats: the arithmetic is exact and
 * identical on every node. The semantics follow the Cosmos SDK's LegacyDec, so values
 * written by Cosmos tools read the same: 18 digits of precision, `mul`/`quo` round half to
 * even on the digits they drop, `mulTruncate`/`quoTruncate` drop them, and `toString()`
 * always prints 18 fractional digits ("0.050000000000000000").
 */
import { registerError } from './errors';

export const ErrInvalidDecimal = registerError('dec', 2, 'invalid decimal');
export const ErrDecimalOverflow = registerError('dec', 3, 'decimal out of range');
export const ErrDivisionByZero = registerError('dec', 4, 'division by zero');

export const DEC_PRECISION = 18;
const ONE = 10n ** 18n;
/** LegacyDec allows up to 256 + 60 bits for intermediate values; we bound stored values the same way. */
const MAX_ABS = (1n << 315n) - 1n;
const DEC_PATTERN = /^(-)?(\d+)(?:\.(\d+))?$/;

function checked(v: bigint): bigint {
  if (v > MAX_ABS || v < -MAX_ABS) throw ErrDecimalOverflow.wrap(`value has more than 315 bits`);
  return v;
}

/** Divides and rounds half to even (the rounding LegacyDec applies when it drops digits). */
function divRoundHalfEven(n: bigint, d: bigint): bigint {
  if (d === 0n) throw ErrDivisionByZero;
  const negative = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  let q = an / ad;
  const twiceRem = (an % ad) * 2n;
  if (twiceRem > ad || (twiceRem === ad && q % 2n === 1n)) q += 1n;
  return negative ? -q : q;
}

function divTruncate(n: bigint, d: bigint): bigint {
  if (d === 0n) throw ErrDivisionByZero;
  return n / d; // bigint division truncates toward zero
}

export class Dec {
  /** The value times 10^18. */
  private constructor(readonly scaled: bigint) {}

  static readonly ZERO = new Dec(0n);
  static readonly ONE = new Dec(ONE);

  /** Parses "0.05", "1", "-2.5"; at most 18 fractional digits. */
  static fromString(text: string): Dec {
    const m = DEC_PATTERN.exec(text.trim());
    if (!m) throw ErrInvalidDecimal.wrap(`"${text}" is not a decimal number like 0.05`);
    const frac = m[3] ?? '';
    if (frac.length > DEC_PRECISION) {
      throw ErrInvalidDecimal.wrap(`"${text}" has more than ${DEC_PRECISION} fractional digits`);
    }
    const scaled = BigInt(m[2]) * ONE + BigInt(frac.padEnd(DEC_PRECISION, '0') || '0');
    return new Dec(checked(m[1] ? -scaled : scaled));
  }

  static fromInt(v: bigint | number): Dec {
    return new Dec(checked(BigInt(v) * ONE));
  }

  /** n / 10^precision, e.g. fromFraction(50n, 2) = 0.50. */
  static fromScaled(value: bigint, precision: number): Dec {
    if (!Number.isInteger(precision) || precision < 0 || precision > DEC_PRECISION) {
      throw ErrInvalidDecimal.wrap(`precision ${precision} is outside 0..${DEC_PRECISION}`);
    }
    return new Dec(checked(value * 10n ** BigInt(DEC_PRECISION - precision)));
  }

  add(o: Dec): Dec {
    return new Dec(checked(this.scaled + o.scaled));
  }
  sub(o: Dec): Dec {
    return new Dec(checked(this.scaled - o.scaled));
  }
  /** Product, rounded half to even at the 18th digit. */
  mul(o: Dec): Dec {
    return new Dec(checked(divRoundHalfEven(this.scaled * o.scaled, ONE)));
  }
  /** Product, truncated at the 18th digit. */
  mulTruncate(o: Dec): Dec {
    return new Dec(checked(divTruncate(this.scaled * o.scaled, ONE)));
  }
  mulInt(i: bigint): Dec {
    return new Dec(checked(this.scaled * i));
  }
  /** Quotient, rounded half to even at the 18th digit. */
  quo(o: Dec): Dec {
    return new Dec(checked(divRoundHalfEven(this.scaled * ONE, o.scaled)));
  }
  /** Quotient, truncated at the 18th digit. */
  quoTruncate(o: Dec): Dec {
    return new Dec(checked(divTruncate(this.scaled * ONE, o.scaled)));
  }
  quoInt(i: bigint): Dec {
    return new Dec(divRoundHalfEven(this.scaled, i));
  }

  /** The integer part, toward zero. */
  truncateInt(): bigint {
    return this.scaled / ONE;
  }
  /** The nearest integer, half to even. */
  roundInt(): bigint {
    return divRoundHalfEven(this.scaled, ONE);
  }
  /** The smallest integer not below the value. */
  ceilInt(): bigint {
    const t = this.scaled / ONE;
    return this.scaled > 0n && this.scaled % ONE !== 0n ? t + 1n : t;
  }

  cmp(o: Dec): -1 | 0 | 1 {
    return this.scaled < o.scaled ? -1 : this.scaled > o.scaled ? 1 : 0;
  }
  eq(o: Dec): boolean {
    return this.scaled === o.scaled;
  }
  lt(o: Dec): boolean {
    return this.scaled < o.scaled;
  }
  lte(o: Dec): boolean {
    return this.scaled <= o.scaled;
  }
  gt(o: Dec): boolean {
    return this.scaled > o.scaled;
  }
  gte(o: Dec): boolean {
    return this.scaled >= o.scaled;
  }
  isZero(): boolean {
    return this.scaled === 0n;
  }
  isNegative(): boolean {
    return this.scaled < 0n;
  }

  /** Always 18 fractional digits, as LegacyDec prints: "0.050000000000000000". */
  toString(): string {
    const negative = this.scaled < 0n;
    const abs = negative ? -this.scaled : this.scaled;
    const int = abs / ONE;
    const frac = (abs % ONE).toString().padStart(DEC_PRECISION, '0');
    return `${negative ? '-' : ''}${int}.${frac}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

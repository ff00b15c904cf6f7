/**
 * Coins: amounts are bigint, denominations validated as the Cosmos SDK does, and a Coins
 * value is always sorted by denom, free of duplicates and of zero amounts, so that two
 * equal sums encode to the same bytes on every node.
 */
import { registerError } from './errors';

export const ErrInvalidCoins = registerError('coins', 2, 'invalid coins');
export const ErrInvalidDenom = registerError('coins', 3, 'invalid denom');
export const ErrNegativeAmount = registerError('coins', 4, 'negative coin amount');
export const ErrAmountOverflow = registerError('coins', 5, 'coin amount overflows 256 bits');

export interface Coin {
  denom: string;
  amount: bigint;
}

/** Cosmos SDK's default denom rule: a letter, then 2–127 of letters, digits and / : . _ - */
const DENOM_PATTERN = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;
const COIN_PATTERN = /^([0-9]+)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/;
/** Cosmos math.Int is bounded by 256 bits; amounts beyond that are refused, not wrapped. */
export const MAX_AMOUNT = (1n << 256n) - 1n;

export function validateDenom(denom: string): void {
  if (!DENOM_PATTERN.test(denom)) {
    throw ErrInvalidDenom.wrap(`"${denom}" must start with a letter and have 3 to 128 of [a-zA-Z0-9/:._-]`);
  }
}

function checkAmount(amount: bigint, denom: string): bigint {
  if (amount < 0n) throw ErrNegativeAmount.wrap(`${amount}${denom}`);
  if (amount > MAX_AMOUNT) throw ErrAmountOverflow.wrap(`amount of ${denom}`);
  return amount;
}

/** Parses one coin such as "100ukex". */
export function parseCoin(text: string): Coin {
  const m = COIN_PATTERN.exec(text.trim());
  if (!m) throw ErrInvalidCoins.wrap(`"${text}" is not an amount followed by a denom, like 100ukex`);
  return { denom: m[2], amount: checkAmount(BigInt(m[1]), m[2]) };
}

/** Parses "100ukex,5utest" into sorted, validated coins (zero amounts are dropped). */
export function parseCoins(text: string): Coins {
  const trimmed = text.trim();
  if (trimmed === '') return Coins.empty();
  return Coins.from(trimmed.split(',').map(parseCoin));
}

/** An immutable, normalized set of coins. */
export class Coins {
  private constructor(private readonly list: readonly Coin[]) {}

  static empty(): Coins {
    return new Coins([]);
  }

  /** Validates and normalizes: sorts by denom, refuses duplicates and negatives, drops zeros. */
  static from(coins: readonly Coin[]): Coins {
    const list = coins
      .map((c) => {
        validateDenom(c.denom);
        if (typeof c.amount !== 'bigint') throw ErrInvalidCoins.wrap(`amount of ${c.denom} is not an integer`);
        return { denom: c.denom, amount: checkAmount(c.amount, c.denom) };
      })
      .filter((c) => c.amount > 0n)
      .sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
    for (let i = 1; i < list.length; i++) {
      if (list[i].denom === list[i - 1].denom) throw ErrInvalidCoins.wrap(`duplicate denom ${list[i].denom}`);
    }
    return new Coins(list);
  }

  /** From wire coins whose amounts are decimal strings (cosmos.base.v1beta1.Coin). */
  static fromProto(coins: readonly { denom: string; amount: string }[]): Coins {
    return Coins.from(
      coins.map((c) => {
        if (!/^[0-9]+$/.test(c.amount)) throw ErrInvalidCoins.wrap(`amount "${c.amount}" of ${c.denom} is not a non-negative integer`);
        return { denom: c.denom, amount: BigInt(c.amount) };
      }),
    );
  }

  toArray(): Coin[] {
    return this.list.map((c) => ({ ...c }));
  }
  toProto(): { denom: string; amount: string }[] {
    return this.list.map((c) => ({ denom: c.denom, amount: c.amount.toString() }));
  }

  get length(): number {
    return this.list.length;
  }
  isZero(): boolean {
    return this.list.length === 0;
  }
  amountOf(denom: string): bigint {
    return this.list.find((c) => c.denom === denom)?.amount ?? 0n;
  }

  add(other: Coins): Coins {
    const sums = new Map<string, bigint>();
    for (const c of [...this.list, ...other.list]) sums.set(c.denom, (sums.get(c.denom) ?? 0n) + c.amount);
    // Coins.from sorts, so the Map's insertion order never reaches the result.
    // eslint-disable-next-line determinism/no-unordered-iteration
    return Coins.from([...sums].map(([denom, amount]) => ({ denom, amount })));
  }

  /** this − other; refuses (ErrNegativeAmount) when any denom would go below zero. */
  sub(other: Coins): Coins {
    const out = new Map<string, bigint>(this.list.map((c) => [c.denom, c.amount]));
    for (const c of other.list) {
      const left = (out.get(c.denom) ?? 0n) - c.amount;
      if (left < 0n) throw ErrNegativeAmount.wrap(`${this.amountOf(c.denom)}${c.denom} is less than ${c.amount}${c.denom}`);
      out.set(c.denom, left);
    }
    // eslint-disable-next-line determinism/no-unordered-iteration -- Coins.from sorts
    return Coins.from([...out].map(([denom, amount]) => ({ denom, amount })));
  }

  /** True when every denom of `other` is covered by this. */
  isAllGTE(other: Coins): boolean {
    return other.list.every((c) => this.amountOf(c.denom) >= c.amount);
  }

  equals(other: Coins): boolean {
    return this.toString() === other.toString();
  }

  /** "100ukex,5utest", the Cosmos text form. */
  toString(): string {
    return this.list.map((c) => `${c.amount}${c.denom}`).join(',');
  }
}

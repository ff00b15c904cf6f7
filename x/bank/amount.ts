/**
 * Wire amounts (cosmos.base.v1beta1.Coin[]) checked for transfers, each fault with its
 * own code: malformed number (coins/2), invalid denom (coins/3), negative (coins/4),
 * beyond 256 bits (coins/5), zero or empty (bank/2), duplicate denom (coins/2).
 */
import { Coins, ErrAmountOverflow, ErrInvalidCoins, ErrNegativeAmount, MAX_AMOUNT, validateDenom } from '../../types/coins';
import { ErrZeroAmount } from './types/errors';

export function parseTransferAmount(coins: readonly { denom: string; amount: string }[], field = 'amount'): Coins {
  if (coins.length === 0) throw ErrZeroAmount.wrap(`${field} is empty`);
  const list = coins.map((c) => {
    validateDenom(c.denom);
    if (/^-[0-9]+$/.test(c.amount)) throw ErrNegativeAmount.wrap(`${field}: ${c.amount}${c.denom}`);
    if (!/^[0-9]+$/.test(c.amount)) throw ErrInvalidCoins.wrap(`${field}: "${c.amount}" of ${c.denom} is not an integer`);
    const amount = BigInt(c.amount);
    if (amount > MAX_AMOUNT) throw ErrAmountOverflow.wrap(`${field}: ${c.denom}`);
    if (amount === 0n) throw ErrZeroAmount.wrap(`${field}: 0${c.denom}`);
    return { denom: c.denom, amount };
  });
  return Coins.from(list);
}

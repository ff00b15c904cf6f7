/**
 * The fee floor of one node's mempool (app.toml `minimum-fees` and `minimum-gas-prices`).
 *
 * It is a node's own policy, not consensus: CheckTx refuses a tx below it, while
 * FinalizeBlock accepts any tx that pays the chain's MIN_TX_FEE, so validators with
 * different floors still agree on every block. As in the Cosmos SDK, a fee passes when
 * it reaches the floor in any one of the floor's denoms; a gas price floor requires
 * ceil(price × gas limit) of that denom.
 */
import { Dec } from '../types/dec';
import { Coins, parseCoins } from '../types/coins';
import { ErrInsufficientFee } from './errors';

export interface MempoolFeeFloor {
  /** A flat fee per tx (KIRA style). */
  minimumFees: Coins;
  /** Prices per unit of gas, by denom. */
  minimumGasPrices: readonly { denom: string; price: Dec }[];
}

const DEC_COIN = /^([0-9]+(?:\.[0-9]+)?)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/;

/** Parses app.toml's two settings ("" = no floor); throws a coded error naming the bad one. */
export function parseMempoolFeeFloor(minimumFees: string, minimumGasPrices: string): MempoolFeeFloor {
  const fees = minimumFees.trim() === '' ? Coins.from([]) : parseCoins(minimumFees);
  const prices = minimumGasPrices
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const m = DEC_COIN.exec(s);
      if (!m) throw ErrInsufficientFee.wrap(`minimum-gas-prices: ${JSON.stringify(s)} is not a decimal coin such as 0.01ukex`);
      return { denom: m[2], price: Dec.fromString(m[1]) };
    });
  return { minimumFees: fees, minimumGasPrices: prices };
}

export function isEmptyFloor(floor: MempoolFeeFloor): boolean {
  return floor.minimumFees.isZero() && floor.minimumGasPrices.every((p) => p.price.isZero());
}

/** Throws ErrInsufficientFee unless `fee` meets each configured floor in at least one denom. */
export function checkMempoolFeeFloor(floor: MempoolFeeFloor, fee: Coins, gasLimit: bigint): void {
  const flat = floor.minimumFees.toArray();
  if (flat.length > 0 && !flat.some((c) => fee.amountOf(c.denom) >= c.amount)) {
    throw ErrInsufficientFee.wrap(`insufficient fees; got: ${fee.toString() || '0'} required: ${floor.minimumFees.toString()} (this node's minimum-fees)`);
  }
  const required = floor.minimumGasPrices
    .filter((p) => !p.price.isZero())
    .map((p) => ({ denom: p.denom, amount: p.price.mulInt(gasLimit).ceilInt() }));
  if (required.length > 0 && !required.some((c) => fee.amountOf(c.denom) >= c.amount)) {
    const text = required.map((c) => `${c.amount}${c.denom}`).join(',');
    throw ErrInsufficientFee.wrap(`insufficient fees; got: ${fee.toString() || '0'} required: ${text} (this node's minimum-gas-prices at gas ${gasLimit})`);
  }
}

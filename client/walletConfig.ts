/**
 * Wallet configuration of a sekai chain: the `ChainInfo` Keplr's `experimentalSuggestChain`
 * takes, and `chain.json` / `assetlist.json` in the cosmos chain-registry schema.
 *
 * Fees: every tx pays at least MIN_TX_FEE ukex, and MIN_TX_FEE per 2 000 000 gas of its limit
 * above that (docs/gas.md); wallets price fees as gas price × gas limit. A transfer's gas limit
 * with the wallets' 1.3–1.5 margin is about 100 000, and no tx the chain accepts needs less
 * than 30 000, so the low step is MIN_TX_FEE / 10 000 per unit of gas (0.01ukex at the genesis
 * 100ukex): any tx priced at it pays at least the minimum, and far more than the chain's
 * MIN_TX_FEE / 2 000 000 per gas for a large one. Average and high are 2.5× and 4× low, the
 * usual Cosmos spread.
 */

export interface WalletConfigOptions {
  chainId: string;
  /** Human name, default the chain ID. */
  chainName?: string;
  rpc: string;
  rest: string;
  /** MIN_TX_FEE in ukex (network property, genesis default 100). */
  minTxFee?: bigint;
}

const KEX = { coinDenom: 'KEX', coinMinimalDenom: 'ukex', coinDecimals: 6 };
/** Gas units a low-priced tx must reach to pay MIN_TX_FEE (see the header). */
const MIN_GAS_FOR_FEE = 10_000n;

/** A decimal string of n / d with up to 6 fractional digits, rounded up (never below the minimum). */
function ratio(n: bigint, d: bigint): string {
  const scaled = (n * 1_000_000n + d - 1n) / d;
  const whole = scaled / 1_000_000n;
  const frac = (scaled % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}

export function gasPriceSteps(minTxFee: bigint): { low: number; average: number; high: number } {
  const low = ratio(minTxFee, MIN_GAS_FOR_FEE);
  return { low: Number(low), average: Number(ratio(minTxFee * 5n, MIN_GAS_FOR_FEE * 2n)), high: Number(ratio(minTxFee * 4n, MIN_GAS_FOR_FEE)) };
}

const BECH32 = {
  bech32PrefixAccAddr: 'kira',
  bech32PrefixAccPub: 'kirapub',
  bech32PrefixValAddr: 'kiravaloper',
  bech32PrefixValPub: 'kiravaloperpub',
  bech32PrefixConsAddr: 'kiravalcons',
  bech32PrefixConsPub: 'kiravalconspub',
};

/** Keplr's ChainInfo (coin type 118, bech32 `kira`, ukex for fees and staking). */
export function keplrChainInfo(o: WalletConfigOptions) {
  return {
    chainId: o.chainId,
    chainName: o.chainName ?? o.chainId,
    rpc: o.rpc,
    rest: o.rest,
    bip44: { coinType: 118 },
    bech32Config: BECH32,
    currencies: [KEX],
    feeCurrencies: [{ ...KEX, gasPriceStep: gasPriceSteps(o.minTxFee ?? 100n) }],
    stakeCurrency: KEX,
    features: [] as string[],
  };
}

/** chain-registry `chain.json`. */
export function registryChain(o: WalletConfigOptions) {
  const steps = gasPriceSteps(o.minTxFee ?? 100n);
  return {
    $schema: '../chain.schema.json',
    chain_name: (o.chainName ?? o.chainId).toLowerCase().replace(/[^a-z0-9]/g, ''),
    chain_type: 'cosmos',
    status: 'live',
    network_type: /test|dev|local/i.test(o.chainId) ? 'testnet' : 'mainnet',
    pretty_name: o.chainName ?? o.chainId,
    chain_id: o.chainId,
    bech32_prefix: 'kira',
    daemon_name: 'sekaid-ts',
    node_home: '$HOME/.sekaid-ts',
    key_algos: ['secp256k1'],
    slip44: 118,
    fees: { fee_tokens: [{ denom: 'ukex', fixed_min_gas_price: steps.low, low_gas_price: steps.low, average_gas_price: steps.average, high_gas_price: steps.high }] },
    staking: { staking_tokens: [{ denom: 'ukex' }] },
    apis: { rpc: [{ address: o.rpc }], rest: [{ address: o.rest }] },
  };
}

/** chain-registry `assetlist.json`. */
export function registryAssets(o: WalletConfigOptions) {
  return {
    $schema: '../assetlist.schema.json',
    chain_name: registryChain(o).chain_name,
    assets: [
      {
        description: 'The native staking and fee token of KIRA',
        denom_units: [
          { denom: 'ukex', exponent: 0, aliases: ['microkex'] },
          { denom: 'kex', exponent: 6 },
        ],
        base: 'ukex',
        name: 'KEX',
        display: 'kex',
        symbol: 'KEX',
        type_asset: 'sdk.coin',
      },
    ],
  };
}

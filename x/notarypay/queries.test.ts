/**
 * What the notary queries compute rather than store: the per-notary tally from searched
 * notarization txs, and Komodo's `spent` from the burn account and the pay so far.
 */
import { TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Context } from '../../runtime/context';
import { MemStore } from '../../store/memstore';
import { publicKeyFromPrivate } from '../../crypto/secp256k1';
import { sha256 } from '../../crypto/hash';
import { FundingMode, type Era } from '../../proto/gen/sekai/notarypay/v1/notarypay';
import { MsgNotarize } from '../../proto/gen/sekai/notarypay/v1/tx';
import { BURN_ADDRESS, NotaryPayKeeper, hex, notaryAddress } from './keeper';
import { NotaryPayTypeUrls } from './msgServer';
import { notaryPayInfo } from './queryServer';
import { notarizationOf, tallyNotaries, type SearchedTx } from './tally';

const keys = [1, 2, 3].map((i) => publicKeyFromPrivate(sha256(Buffer.from(`tally key ${i}`))));
const era1: Era = { index: 1, startTime: 0n, pay: '900', notaries: keys.map((pubKey, i) => ({ name: `n${i + 1}`, pubKey: Buffer.from(pubKey) })) };

/** A tx as tx_search returns it: a MsgNotarize signed by `signers` and the event an accepted one emits. */
function searched(height: number, notarized: bigint, signers: Uint8Array[], code = 0, pay = '450ukex'): SearchedTx {
  const msg = MsgNotarize.fromPartial({ sender: 'kira1relayer', height: notarized, appHash: Buffer.alloc(32), signatures: signers.map((pk) => ({ pubKey: Buffer.from(pk), signature: Buffer.alloc(64) })) });
  const body = TxBody.fromPartial({ messages: [{ typeUrl: NotaryPayTypeUrls.notarize, value: MsgNotarize.encode(msg).finish() }] });
  const tx = Buffer.from(TxRaw.encode(TxRaw.fromPartial({ bodyBytes: TxBody.encode(body).finish() })).finish()).toString('base64');
  const events = code === 0 ? [{ type: 'notarization', attributes: [{ key: 'era', value: '1' }, { key: 'pay_per_signer', value: pay }, { key: 'signers', value: String(signers.length) }] }] : [];
  return { height: String(height), tx, tx_result: { code, events } };
}

describe('notary tally', () => {
  test('counts each signer, adds its pay, keeps every notary of every era with zeros, and skips failed txs', () => {
    const txs = [searched(10, 9n, keys.slice(0, 2)), searched(15, 14n, keys.slice(0, 1), 0, '900ukex'), searched(16, 15n, keys, 12)];
    const records = txs.map(notarizationOf).filter((r) => r !== undefined);
    expect(records).toHaveLength(2);
    const tally = tallyNotaries([era1], (pk) => (hex(pk) === hex(keys[1]) ? 'kira1bound' : notaryAddress(pk)), records, { from: 1, to: 20, denom: 'ukex' });
    expect(tally).toEqual({
      from_height: '1',
      to_height: '20',
      denom: 'ukex',
      notarizations: '2',
      total_pay: '1800',
      notaries: [
        { era: 1, name: 'n1', pubkey: hex(keys[0]), payout: notaryAddress(keys[0]), notarizations: '2', pay: '1350', last_notarized_height: '14' },
        { era: 1, name: 'n2', pubkey: hex(keys[1]), payout: 'kira1bound', notarizations: '1', pay: '450', last_notarized_height: '9' },
        { era: 1, name: 'n3', pubkey: hex(keys[2]), payout: notaryAddress(keys[2]), notarizations: '0', pay: '0', last_notarized_height: '0' },
      ],
    });
  });
});

describe('spent (getnotarypayinfo)', () => {
  /** A keeper over one in-memory store, the burn account's sequence and balance as given. */
  function setup(opts: { sequence: bigint; balance: bigint; funding: FundingMode; totalPay: string }) {
    const mem = new MemStore();
    const ctx = { store: () => mem, height: 7 } as unknown as Context;
    const k = new NotaryPayKeeper({
      accounts: {
        tryResolve: (_c, ref) => (ref === BURN_ADDRESS ? 5n : undefined),
        resolveOrCreate: () => 5n,
        addressOf: () => BURN_ADDRESS,
        get: (_c, id) => (id === 5n ? { sequence: opts.sequence } : undefined),
      },
      bank: { balance: () => opts.balance, supplyOf: () => 0n, mintCoins: () => undefined, sendCoinsFromModuleToAccount: () => undefined, checkSendCap: () => undefined },
    });
    k.setParams(ctx, { denom: 'ukex', funding: opts.funding, eraGapSeconds: 777n, blockRecordWindow: 100n });
    k.setState(ctx, { ...k.state(ctx), totalPay: opts.totalPay, notarizations: 1n });
    return notaryPayInfo(k, ctx as never);
  }

  test('false while the burn account never signed and holds what was counted against it', () => {
    expect(setup({ sequence: 0n, balance: 3000n, funding: FundingMode.FUNDING_MODE_BURN_FUNDED, totalPay: '2000' }).spent).toBe(false);
    expect(setup({ sequence: 0n, balance: 0n, funding: FundingMode.FUNDING_MODE_EMISSION, totalPay: '2000' }).spent).toBe(false);
  });

  test('true once the burn account has a signed tx, or holds less than the pay so far; the estimates are then 0', () => {
    const signed = setup({ sequence: 1n, balance: 10_000n, funding: FundingMode.FUNDING_MODE_BURN_FUNDED, totalPay: '2000' });
    expect(signed.spent).toBe(true);
    expect([signed.estimatedNotarizationsLeft, signed.estimatedDaysLeft, signed.estimatedHeight]).toEqual([0n, 0n, 0n]);
    expect(setup({ sequence: 0n, balance: 1999n, funding: FundingMode.FUNDING_MODE_BURN_FUNDED, totalPay: '2000' }).spent).toBe(true);
    expect(setup({ sequence: 2n, balance: 0n, funding: FundingMode.FUNDING_MODE_EMISSION, totalPay: '0' }).spent).toBe(true);
  });
});

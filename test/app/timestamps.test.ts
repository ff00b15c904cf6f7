/**
 * Kolme's timestamp rules (seed 002, "Timestamp verification"), as the app applies them:
 * - CheckTx refuses a bridge message whose created_ms is more than 2 minutes ahead of the
 *   node's clock or behind it (ReCheckTx flushes one that waited 2 minutes), for free;
 * - ProcessProposal refuses a block more than 2 minutes ahead of the node's clock or not
 *   after the previous block.
 */
import { CheckTxType, ResponseProcessProposal_ProposalStatus } from 'cosmjs-types/tendermint/abci/types';
import { BridgeErrors as E } from '../../x/bridge';
import { BridgeChain, closeBridgeApp, genesis, msg, openBridgeApp, type BridgeApp } from '../bridge/helpers';
import { L, bridgeSection, deposit, WALLET_U, U, A, P, outsider } from '../bridge/scenario';

let n: BridgeApp;
let chain: BridgeChain;
/** The node's clock, moved by the tests. */
let clockMs = 0;
const clock = () => ({ seconds: BigInt(Math.floor(clockMs / 1000)), nanos: (clockMs % 1000) * 1_000_000 });

async function open(dir?: string): Promise<void> {
  n = await openBridgeApp('v0.1.0', dir, clock);
  chain = new BridgeChain(n);
}

beforeEach(async () => {
  await open();
  chain.initChain(genesis([...L, ...A, P, outsider].map((k) => k.address), bridgeSection()));
  await chain.block([]);
  clockMs = chain.now * 1000 + 2_000;
});

afterEach(async () => {
  await closeBridgeApp(n);
});

const check = (tx: Uint8Array, type = CheckTxType.NEW) => n.app.checkTx({ tx, type });
const ev = deposit(WALLET_U, [['usdc', '5']], [U]);
const attest = (createdMs: number) => chain.sign(L[0], [msg.attest(L[0], 'ethereum', 0n, ev, BigInt(createdMs))]);

describe('CheckTx', () => {
  it('refuses a bridge message created 3 minutes ahead of or behind the node clock, charging nothing', () => {
    const ahead = check(attest(clockMs + 180_000));
    expect({ codespace: ahead.codespace, code: ahead.code }).toEqual({ codespace: 'bridge', code: E.ErrTimestampAheadOfNode.code });
    expect(ahead.log).toMatch(/created 180000 ms ahead of this node's clock; at most 120000 ms/);
    const behind = check(attest(clockMs - 180_000));
    expect({ codespace: behind.codespace, code: behind.code }).toEqual({ codespace: 'bridge', code: E.ErrTimestampExpired.code });
    // Nothing was taken: the same sequence is admitted with a current timestamp.
    expect(check(attest(clockMs)).code).toBe(0);
  });

  it('flushes a message from the mempool on ReCheckTx once it is 2 minutes old', async () => {
    const tx = attest(clockMs);
    expect(check(tx).code).toBe(0);
    // ReCheckTx runs after a commit, on a fresh check state.
    const recheck = async () => {
      await chain.block([]);
      return check(tx, CheckTxType.RECHECK);
    };
    clockMs += 119_000;
    expect((await recheck()).code).toBe(0);
    clockMs += 2_000;
    expect(await recheck()).toMatchObject({ codespace: 'bridge', code: E.ErrTimestampExpired.code });
  });
});

describe('ProcessProposal', () => {
  const process = async (seconds: number, nanos = 0) =>
    (
      await n.app.processProposal({
        txs: [],
        proposedLastCommit: { round: 0, votes: [] },
        misbehavior: [],
        hash: new Uint8Array(32),
        height: BigInt(chain.height + 1),
        time: { seconds: BigInt(seconds), nanos },
        nextValidatorsHash: new Uint8Array(32),
        proposerAddress: new Uint8Array(20).fill(7),
      })
    ).status;
  const { ACCEPT, REJECT } = ResponseProcessProposal_ProposalStatus;

  it('rejects a block one day ahead of the node clock, or not after the previous block; accepts one in between', async () => {
    const prev = chain.now;
    expect(await process(prev + 86_400)).toBe(REJECT);
    expect(await process(prev - 86_400)).toBe(REJECT);
    expect(await process(prev)).toBe(REJECT);
    expect(await process(prev, 1)).toBe(ACCEPT);
    // 2 minutes ahead of the clock is the bound; just past it is refused.
    const clockS = Math.floor(clockMs / 1000);
    expect(await process(clockS + 120)).toBe(ACCEPT);
    expect(await process(clockS + 121)).toBe(REJECT);
  });
});

/**
 * x/multistaking's queries over gRPC-web (nice-grpc-web with the generated service definition)
 * and REST (the google.api.http paths of its .proto, and the Cosmos distribution paths Keplr
 * reads), against a running `sekaid-ts start` whose genesis carries a multistaking section:
 * alice delegates through the CLI, and every interface answers the same vault, delegation and
 * rewards as the CLI's ABCI query; malformed addresses are InvalidArgument / HTTP 400.
 */
import { ClientError, createChannel, createClient, Status } from 'nice-grpc-web';
import { addressFromBech32, addressToBech32 } from '../../crypto/address';
import { encodeBech32 } from '../../crypto/bech32';
import { QueryDefinition } from '../../proto/gen/sekai/multistaking/v1/query';
import { query, startChain, tx, txHash, until, waitTx, type Chain } from './workflowChain';

jest.setTimeout(180_000);

let chain: Chain;
let val: string;

async function rest(path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(chain.rest + path);
  return { status: res.status, body: JSON.parse(await res.text()) };
}

beforeAll(async () => {
  chain = await startChain({
    chainId: 'sekai-multistaking-services-1',
    keys: ['validator', 'alice'],
    properties: [['MIN_VALIDATORS', '1']],
    editGenesis: (g) => {
      g.app_state.multistaking = { vaults: [], delegations: [] };
    },
  });
  val = addressToBech32('validator', addressFromBech32('account', chain.addr.validator));
  const r = await waitTx(chain, txHash(await tx(chain, 'alice', ['multistaking', 'delegate', val, '1000000ukex'])));
  expect(r.tx_result.code).toBe(0);
  // Rewards accrue from the blocks after the delegation.
  await until('rewards to accrue', async () => {
    const q = await query<{ total: string }>(chain, ['multistaking', 'rewards', chain.addr.alice]);
    return BigInt(q.total) > 0n ? q : undefined;
  });
});

afterAll(async () => {
  await chain?.stop();
});

describe('gRPC-web', () => {
  it('serves every method of sekai.multistaking.v1.Query through the generated definition', async () => {
    const ms = createClient(QueryDefinition, createChannel(chain.grpcWeb));
    const { vault } = await ms.vault({ valKey: val });
    expect(vault).toMatchObject({ totalAssets: '1000000', delegators: 1n });
    const vaults = await ms.vaults({ pagination: { limit: 10n, countTotal: true } });
    expect(vaults.vaults).toHaveLength(1);
    expect(vaults.pagination?.total).toBe(1n);
    const { delegations } = await ms.delegations({ delegator: chain.addr.alice });
    expect(delegations).toEqual([expect.objectContaining({ valKey: val, amount: '1000000' })]);
    const rewards = await ms.rewards({ delegator: chain.addr.alice });
    expect(BigInt(rewards.total)).toBeGreaterThan(0n);
    expect(rewards.rewards.map((r) => r.valKey)).toEqual([val]);
    expect(await ms.pool({})).toMatchObject({ active: true, pool: expect.any(Object) });

    // The CLI reads the same ABCI query paths (unchanged by the service definition).
    const cli = await query<{ vault: { total_assets: string } }>(chain, ['multistaking', 'vault', val]);
    expect(cli.vault.total_assets).toBe(vault!.totalAssets);
  });

  it('answers InvalidArgument for a malformed validator address and NotFound for an unknown delegator', async () => {
    const ms = createClient(QueryDefinition, createChannel(chain.grpcWeb));
    for (const valKey of ['kiravaloper1garbage', chain.addr.alice, val.slice(0, -1) + (val.endsWith('q') ? 'p' : 'q')]) {
      const err = await ms.vault({ valKey }).catch((e: unknown) => e);
      expect({ valKey, code: err instanceof ClientError ? err.code : err }).toEqual({ valKey, code: Status.INVALID_ARGUMENT });
    }
    const nobody = encodeBech32('kira', new Uint8Array(20).fill(7));
    await expect(ms.delegations({ delegator: nobody })).rejects.toMatchObject({ code: Status.NOT_FOUND });
  });
});

describe('REST', () => {
  it('serves the multistaking queries at their google.api.http paths', async () => {
    const vault = await rest(`/sekai/multistaking/v1/vaults/${val}`);
    expect(vault.status).toBe(200);
    expect(vault.body.vault).toMatchObject({ total_assets: '1000000', delegators: '1' });
    const vaults = await rest('/sekai/multistaking/v1/vaults?pagination.limit=5&pagination.count_total=true');
    expect(vaults.body.vaults).toHaveLength(1);
    expect(vaults.body.pagination).toEqual({ next_key: null, total: '1' });
    const delegations = await rest(`/sekai/multistaking/v1/delegations/${chain.addr.alice}`);
    expect(delegations.body.delegations).toEqual([expect.objectContaining({ val_key: val, amount: '1000000', undelegatable_after: expect.stringMatching(/^\d+$/) })]);
    const rewards = await rest(`/sekai/multistaking/v1/rewards/${chain.addr.alice}`);
    expect(rewards.body).toEqual({ rewards: [{ val_key: val, amount: expect.stringMatching(/^[1-9]\d*$/) }], total: expect.stringMatching(/^[1-9]\d*$/), commission: [] });
    const pool = await rest('/sekai/multistaking/v1/pool');
    expect(pool.body).toMatchObject({ active: true, pool: expect.any(Object) });
  });

  it("serves the Cosmos distribution paths Keplr's staking view reads", async () => {
    const total = await rest(`/cosmos/distribution/v1beta1/delegators/${chain.addr.alice}/rewards`);
    expect(total.status).toBe(200);
    expect(total.body.rewards).toEqual([{ validator_address: val, reward: [{ denom: 'ukex', amount: expect.stringMatching(/^[1-9]\d*$/) }] }]);
    const withdraw = await rest(`/cosmos/distribution/v1beta1/delegators/${chain.addr.alice}/withdraw_address`);
    expect(withdraw.body).toEqual({ withdraw_address: chain.addr.alice });
  });

  it('refuses malformed addresses with HTTP 400', async () => {
    for (const path of ['/sekai/multistaking/v1/vaults/kiravaloper1garbage', `/sekai/multistaking/v1/vaults/${chain.addr.alice}`, '/sekai/multistaking/v1/delegations/kira1-definitely-not-an-address']) {
      const r = await rest(path);
      expect({ path, status: r.status, code: r.body.code }).toEqual({ path, status: 400, code: 3 });
    }
  });
});

/**
 * SIGN_MODE_LEGACY_AMINO_JSON with unchanged CosmJS: an amino wallet (`Secp256k1HdWallet`, as
 * Ledger and Keplr-with-Ledger sign) and `SigningStargateClient` with the exported sekai amino
 * converters send ukex, submit a proposal (its content an amino `Any`), vote on it and pause a
 * validator; a direct wallet for the same key sends the same kinds of tx. A tampered amino
 * signature is refused free of charge.
 */
import { Secp256k1HdWallet } from '@cosmjs/amino';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { AminoTypes, GasPrice, SigningStargateClient, createDefaultAminoConverters, type DeliverTxResponse } from '@cosmjs/stargate';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { cosmjsRegistry, sekaiAminoConverters, sekaiAminoName } from '../../client';
import { VoteOption } from '../../proto/gen/sekai/gov/v1/gov';
import { MsgSubmitProposalResponse } from '../../proto/gen/sekai/gov/v1/tx';
import { ProposalResetWholeValidatorRank } from '../../proto/gen/sekai/slashing/v1/slashing';
import { consensusPubKeyJson, query, startChain, tx, txHash, waitTx, type Chain } from './workflowChain';

jest.setTimeout(180_000);

let chain: Chain;
const opts = { broadcastPollIntervalMs: 100, broadcastTimeoutMs: 30_000, gasPrice: GasPrice.fromString('0.025ukex') };
const aminoTypes = () => new AminoTypes({ ...createDefaultAminoConverters(), ...sekaiAminoConverters() });

beforeAll(async () => {
  chain = await startChain({
    chainId: 'sekai-amino-1',
    keys: ['validator', 'second'],
    properties: [['MIN_VALIDATORS', '1']],
    permissions: [['second', 'PERMISSION_CLAIM_VALIDATOR']],
    blockTime: '100ms',
  });
});

afterAll(async () => {
  await chain?.stop();
});

const rpcUrl = () => chain.node.replace(/^tcp:/, 'http:');

async function aminoClient(key: string) {
  const wallet = await Secp256k1HdWallet.fromMnemonic(chain.mnemonics[key], { prefix: 'kira' });
  const client = await SigningStargateClient.connectWithSigner(rpcUrl(), wallet, { ...opts, registry: cosmjsRegistry(), aminoTypes: aminoTypes() });
  return { wallet, client, address: (await wallet.getAccounts())[0].address };
}

function expectOk(r: DeliverTxResponse): void {
  expect({ code: r.code, log: r.rawLog }).toEqual({ code: 0, log: expect.anything() as unknown });
}

it('names sekai messages as KIRA sekai does', () => {
  expect(sekaiAminoName('/sekai.slashing.v1.MsgPause')).toBe('cosmos-sdk/MsgPause');
  expect(sekaiAminoName('/sekai.gov.v1.MsgVoteProposal')).toBe('kiraHub/MsgVoteProposal');
  expect(sekaiAminoName('/sekai.accountid.v1.MsgRegisterName')).toBe('sekai/accountid/MsgRegisterName');
  const json = aminoTypes().toAmino({ typeUrl: '/sekai.gov.v1.MsgVoteProposal', value: { proposalId: 7n, voter: 'kira1x', option: VoteOption.VOTE_OPTION_YES, slash: '' } });
  // 64-bit ints as strings, enums as numbers, defaults left out.
  expect(json).toEqual({ type: 'kiraHub/MsgVoteProposal', value: { proposal_id: '7', voter: 'kira1x', option: 1 } });
  expect(aminoTypes().fromAmino(json)).toEqual({ typeUrl: '/sekai.gov.v1.MsgVoteProposal', value: { proposalId: 7n, voter: 'kira1x', option: 1, slash: '' } });
});

it('amino and direct signers send ukex, propose, vote and pause a validator', async () => {
  const v = await aminoClient('validator');
  expect(v.address).toBe(chain.addr.validator);
  const second = chain.addr.second;

  // A bank send signed in amino JSON (cosmos-sdk/MsgSend).
  const before = await v.client.getBalance(second, 'ukex');
  expectOk(await v.client.sendTokens(v.address, second, [{ denom: 'ukex', amount: '12345' }], 'auto', 'amino <send> & co'));
  expect(BigInt((await v.client.getBalance(second, 'ukex')).amount) - BigInt(before.amount)).toBe(12345n);
  // The node started by `start` serves the same balance over REST.
  const lcd = (await (await fetch(`${chain.rest}/cosmos/bank/v1beta1/balances/${second}/by_denom?denom=ukex`)).json()) as { balance: { amount: string } };
  expect(lcd.balance.amount).toBe((await v.client.getBalance(second, 'ukex')).amount);

  // The same send signed directly by the same key.
  const direct = await DirectSecp256k1HdWallet.fromMnemonic(chain.mnemonics.validator, { prefix: 'kira' });
  const d = await SigningStargateClient.connectWithSigner(rpcUrl(), direct, { ...opts, registry: cosmjsRegistry() });
  expectOk(await d.sendTokens(v.address, second, [{ denom: 'ukex', amount: '5' }], 'auto'));

  // A proposal whose content travels as an amino Any, then an amino vote on it.
  const content = { typeUrl: '/sekai.slashing.v1.ProposalResetWholeValidatorRank', value: ProposalResetWholeValidatorRank.encode({ proposer: v.address, description: 'reset' }).finish() };
  const submit = await v.client.signAndBroadcast(
    v.address,
    [{ typeUrl: '/sekai.gov.v1.MsgSubmitProposal', value: { proposer: v.address, title: 'reset ranks', description: 'by amino', content } }],
    'auto',
  );
  expectOk(submit);
  const id = MsgSubmitProposalResponse.decode(submit.msgResponses[0].value).proposalId.toString();
  expectOk(await v.client.signAndBroadcast(v.address, [{ typeUrl: '/sekai.gov.v1.MsgVoteProposal', value: { proposalId: BigInt(id), voter: v.address, option: VoteOption.VOTE_OPTION_YES } }], 'auto'));
  const votes = await query<{ votes: { proposal_id: string; option: string }[] }>(chain, ['customgov', 'votes', id]);
  expect(votes.votes).toEqual([expect.objectContaining({ proposal_id: id, option: 'VOTE_OPTION_YES' })]);

  // A second active validator, so that the first may pause (MIN_VALIDATORS 1).
  const claim = await waitTx(chain, txHash(await tx(chain, 'second', ['customstaking', 'claim-validator-seat', '--moniker', 'second', '--pubkey', consensusPubKeyJson()])));
  expect(claim.tx_result.code).toBe(0);
  expectOk(await v.client.signAndBroadcast(v.address, [{ typeUrl: '/sekai.slashing.v1.MsgPause', value: { sender: v.address, valKey: '' } }], 'auto'));
  const paused = await query<{ status: string }>(chain, ['customstaking', 'validator', '--addr', v.address]);
  expect(paused.status).toBe('PAUSED');
  // Unpause signed directly.
  expectOk(await d.signAndBroadcast(v.address, [{ typeUrl: '/sekai.slashing.v1.MsgUnpause', value: { sender: v.address, valKey: '' } }], 'auto'));
  expect((await query<{ status: string }>(chain, ['customstaking', 'validator', '--addr', v.address])).status).toBe('ACTIVE');

  // A tampered amino signature: refused at CheckTx, no fee taken, sequence unchanged.
  const account = await v.client.getAccount(v.address);
  const signed = await v.client.sign(v.address, [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: v.address, toAddress: second, amount: [{ denom: 'ukex', amount: '1' }] } }], { amount: [{ denom: 'ukex', amount: '100' }], gas: '200000' }, 'changed later');
  const body = Buffer.from(signed.bodyBytes);
  body[body.length - 1] ^= 1; // a different memo than the one signed
  const balance = await v.client.getBalance(v.address, 'ukex');
  await expect(v.client.broadcastTx(TxRaw.encode({ ...signed, bodyBytes: body }).finish())).rejects.toThrow(/signature verification failed/);
  expect(await v.client.getBalance(v.address, 'ukex')).toEqual(balance);
  expect((await v.client.getAccount(v.address))?.sequence).toBe(account?.sequence);
});

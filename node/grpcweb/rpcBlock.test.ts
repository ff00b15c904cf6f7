/**
 * A block CometBFT v0.38 committed with DuplicateVoteEvidence (recorded from the double-sign
 * step of test/e2e/validators.live.test.ts with EVIDENCE_FIXTURE=<file>; that test checks the
 * same over gRPC-web against the live network) turns into the proto block whose bytes hash
 * back to CometBFT's own header: the evidence to the header's evidence_hash, the header to the
 * block id; REST writes the same evidence as gateway JSON.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetBlockByHeightResponse } from 'cosmjs-types/cosmos/base/tendermint/v1beta1/query';
import { Evidence } from 'cosmjs-types/tendermint/types/evidence';
import { evidenceHash, headerHash } from '../consensus/hashes';
import { blockResponseJson, type CometBlockJson } from '../rest/blocks';
import { evidenceProto, protoBlock, type RpcBlock } from './rpcBlock';

const fixture = JSON.parse(readFileSync(join(__dirname, '../../test/fixtures/cometbft/block-with-evidence.json'), 'utf8')) as RpcBlock & {
  block: { evidence: { evidence: { type: string; value: { vote_a: { validator_address: string; signature: string; timestamp: string }; vote_b: { block_id: { hash: string } }; Timestamp: string } }[] } };
};
const hex = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('hex').toUpperCase();

describe('CometBFT block JSON with evidence → proto', () => {
  const { blockId, block, sdkBlock } = protoBlock(fixture);
  const rpcEvidence = fixture.block.evidence.evidence;

  it('keeps every piece of evidence, votes and powers included', () => {
    expect(rpcEvidence.length).toBeGreaterThan(0);
    expect(block.evidence!.evidence).toHaveLength(rpcEvidence.length);
    const [first] = block.evidence!.evidence;
    const dve = first.duplicateVoteEvidence!;
    expect(hex(dve.voteA!.validatorAddress)).toBe(rpcEvidence[0].value.vote_a.validator_address);
    expect(Buffer.from(dve.voteA!.signature).toString('base64')).toBe(rpcEvidence[0].value.vote_a.signature);
    expect(hex(dve.voteB!.blockId!.hash)).toBe(rpcEvidence[0].value.vote_b.block_id.hash);
    expect(dve.voteA!.height).toBe(dve.voteB!.height);
    expect(dve.validatorPower).toBeGreaterThan(0n);
    expect(dve.totalVotingPower).toBeGreaterThanOrEqual(dve.validatorPower);
    expect(sdkBlock.evidence).toEqual(block.evidence);
  });

  it('hashes to the header evidence_hash, and the header to the block id', () => {
    expect(hex(evidenceHash(block.evidence!.evidence))).toBe(fixture.block.header.evidence_hash);
    expect(hex(headerHash(block.header!))).toBe(fixture.block_id.hash);
    expect(hex(blockId.hash)).toBe(fixture.block_id.hash);
  });

  it('survives the GetBlockByHeight response encoding unchanged', () => {
    const bytes = GetBlockByHeightResponse.encode({ blockId, block, sdkBlock }).finish();
    const back = GetBlockByHeightResponse.decode(bytes);
    expect(back.block!.evidence).toEqual(block.evidence);
    expect(hex(evidenceHash(back.block!.evidence!.evidence))).toBe(fixture.block.header.evidence_hash);
  });

  it('changes the hash when any vote byte changes (the check can fail)', () => {
    const tampered = structuredClone(rpcEvidence[0]) as Parameters<typeof evidenceProto>[0];
    if (tampered.type !== 'tendermint/DuplicateVoteEvidence') throw new Error('fixture holds a duplicate vote');
    tampered.value.vote_a.validator_index += 1;
    expect(hex(evidenceHash([evidenceProto(tampered)]))).not.toBe(fixture.block.header.evidence_hash);
    expect(() => evidenceProto({ type: 'tendermint/Unknown' } as never)).toThrow(/unknown evidence type/);
    expect(Evidence.toJSON(evidenceProto(rpcEvidence[0] as never))).toHaveProperty('duplicateVoteEvidence.voteA.type', 'SIGNED_MSG_TYPE_PREVOTE');
  });

  it('is written over REST as the gateway JSON of the same proto, times to the nanosecond', () => {
    const json = blockResponseJson(fixture as unknown as CometBlockJson) as { block: { evidence: { evidence: any[] } }; sdk_block: { evidence: unknown } };
    const [first] = json.block.evidence.evidence;
    const ev = rpcEvidence[0].value;
    expect(first.duplicate_vote_evidence).toMatchObject({
      vote_a: {
        type: 'SIGNED_MSG_TYPE_PREVOTE',
        validator_address: Buffer.from(ev.vote_a.validator_address, 'hex').toString('base64'),
        signature: ev.vote_a.signature,
        timestamp: ev.vote_a.timestamp,
        block_id: { hash: expect.any(String), part_set_header: { total: 1, hash: expect.any(String) } },
      },
      timestamp: ev.Timestamp,
      validator_power: block.evidence!.evidence[0].duplicateVoteEvidence!.validatorPower.toString(),
    });
    expect(json.block.evidence.evidence).toHaveLength(rpcEvidence.length);
    expect(json.sdk_block.evidence).toEqual(json.block.evidence);
  });
});

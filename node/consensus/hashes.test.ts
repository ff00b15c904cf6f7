import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { SignedMsgType, type Header } from 'cosmjs-types/tendermint/types/types';
import { dataHash, headerHash, partSet, resultsHash, validatorSetHash, consensusParamsHash, commitHash } from './hashes';
import { merkleRoot } from './merkle';
import { PrivValidator, generatePrivValidatorKey, parsePrivValidatorKey, privValidatorKeyJson, verifyEd25519, voteSignBytes } from './signing';

const sum = (s: string): Uint8Array => createHash('sha256').update(s).digest();
const hex = (b: Uint8Array | undefined): string => Buffer.from(b ?? []).toString('hex').toUpperCase();
const EMPTY = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855';

describe('CometBFT hashes', () => {
  // cometbft v0.38 types/block_test.go TestHeaderHash "Generates expected hash".
  const golden = (): Header => ({
    version: { block: 1n, app: 2n },
    chainId: 'chainId',
    height: 3n,
    time: { seconds: BigInt(Date.UTC(2019, 9, 13, 16, 14, 44) / 1000), nanos: 0 },
    lastBlockId: { hash: new Uint8Array(32), partSetHeader: { total: 6, hash: new Uint8Array(32) } },
    lastCommitHash: sum('last_commit_hash'),
    dataHash: sum('data_hash'),
    validatorsHash: sum('validators_hash'),
    nextValidatorsHash: sum('next_validators_hash'),
    consensusHash: sum('consensus_hash'),
    appHash: sum('app_hash'),
    lastResultsHash: sum('last_results_hash'),
    evidenceHash: sum('evidence_hash'),
    proposerAddress: sum('proposer_address').subarray(0, 20),
  });

  it('reproduces the Go header hash vector', () => {
    expect(hex(headerHash(golden()))).toBe('F740121F553B5418C3EFBD343C2DBFE9E007BB67B0D020A0741374BAB65242A4');
  });

  it('changes with every header field and is undefined without a validators hash', () => {
    const base = hex(headerHash(golden()));
    const h = golden();
    h.height = 4n;
    expect(hex(headerHash(h))).not.toBe(base);
    const g = golden();
    g.validatorsHash = new Uint8Array(0);
    expect(headerHash(g)).toBeUndefined();
  });

  it('uses the RFC 6962 tree shape', () => {
    const a = Buffer.from('a');
    const b = Buffer.from('b');
    const c = Buffer.from('c');
    const leaf = (x: Uint8Array) => createHash('sha256').update(Buffer.concat([Buffer.of(0), x])).digest();
    const inner = (l: Uint8Array, r: Uint8Array) => createHash('sha256').update(Buffer.concat([Buffer.of(1), l, r])).digest();
    expect(hex(merkleRoot([]))).toBe(EMPTY);
    expect(hex(merkleRoot([a]))).toBe(hex(leaf(a)));
    // Three items split 2 + 1.
    expect(hex(merkleRoot([a, b, c]))).toBe(hex(inner(inner(leaf(a), leaf(b)), leaf(c))));
  });

  it('hashes txs by their sha256, empty lists to the empty root', () => {
    expect(hex(dataHash([]))).toBe(EMPTY);
    expect(hex(resultsHash([]))).toBe(EMPTY);
    expect(hex(commitHash({ height: 0n, round: 0, blockId: { hash: new Uint8Array(), partSetHeader: { total: 0, hash: new Uint8Array() } }, signatures: [] }))).toBe(EMPTY);
    const tx = Buffer.from('k=v');
    expect(hex(dataHash([tx]))).toBe(hex(merkleRoot([sum('k=v')])));
  });

  it('hashes results over code, data, gas only', () => {
    const base = { code: 0, data: new Uint8Array(), log: '', info: '', gasWanted: 5n, gasUsed: 3n, events: [], codespace: '' };
    const a = resultsHash([base]);
    expect(hex(resultsHash([{ ...base, log: 'other', codespace: 'x' }]))).toBe(hex(a));
    expect(hex(resultsHash([{ ...base, code: 1 }]))).not.toBe(hex(a));
    // ExecTxResult{gas_wanted=5, gas_used=3}: 28 05 30 03
    expect(hex(a)).toBe(hex(merkleRoot([Buffer.from('28053003', 'hex')])));
  });

  it('hashes validator sets over SimpleValidator bytes', () => {
    const pk = new Uint8Array(32).fill(7);
    // SimpleValidator{pub_key{ed25519=1}=1, voting_power=2}: 0a 22 0a 20 <32 bytes> 10 0a
    const expected = Buffer.concat([Buffer.from('0a220a20', 'hex'), pk, Buffer.from('100a', 'hex')]);
    expect(hex(validatorSetHash([{ address: new Uint8Array(20), pubKey: pk, power: 10n, proposerPriority: 0n }]))).toBe(hex(merkleRoot([expected])));
  });

  it('hashes consensus params over block max bytes and gas', () => {
    const p = { block: { maxBytes: 22020096n, maxGas: -1n } };
    // HashedParams{1: 22020096, 2: -1}
    const bytes = Buffer.from('088080c00a10ffffffffffffffffff01', 'hex');
    expect(hex(consensusParamsHash(p))).toBe(hex(createHash('sha256').update(bytes).digest()));
  });

  it('splits blocks into 64 KiB parts', () => {
    expect(partSet(new Uint8Array(10)).header.total).toBe(1);
    const big = partSet(new Uint8Array(65536 * 2 + 1));
    expect(big.header.total).toBe(3);
    expect(big.parts[2].length).toBe(1);
  });
});

describe('vote sign bytes', () => {
  it('matches the CometBFT vector for a round-1 precommit at height 1', () => {
    // cometbft v0.38 types/vote_test.go TestVoteSignBytesTestVectors case 1.
    const goZeroTime = { seconds: -62135596800n, nanos: 0 };
    const got = voteSignBytes('', { type: SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT, height: 1n, round: 1, timestamp: goZeroTime });
    expect(Buffer.from(got).toString('hex')).toBe(
      '21' + '0802' + '110100000000000000' + '190100000000000000' + '2a0b088092b8c398feffffff01',
    );
  });

  it('includes the block id and chain id', () => {
    const ts = { seconds: 1n, nanos: 0 };
    const id = { hash: new Uint8Array(32).fill(1), partSetHeader: { total: 1, hash: new Uint8Array(32).fill(2) } };
    const a = voteSignBytes('c', { type: 2, height: 5n, round: 0, blockId: id, timestamp: ts });
    const b = voteSignBytes('d', { type: 2, height: 5n, round: 0, blockId: id, timestamp: ts });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(Buffer.from(a).includes(Buffer.from(id.hash))).toBe(true);
  });
});

describe('PrivValidator', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'privval-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('round-trips the key file and signs verifiably', () => {
    const key = parsePrivValidatorKey(privValidatorKeyJson(generatePrivValidatorKey()));
    const pv = PrivValidator.load(key, path.join(dir, 'state.json'));
    const msg = Buffer.from('hello');
    const sig = pv.sign(1n, 0, 3, msg);
    expect(verifyEd25519(key.pubKey, msg, sig)).toBe(true);
    expect(verifyEd25519(key.pubKey, Buffer.from('other'), sig)).toBe(false);
  });

  it('persists the state in CometBFT format and refuses a double sign after a reload', () => {
    const key = generatePrivValidatorKey();
    const file = path.join(dir, 'state.json');
    const sig = PrivValidator.load(key, file).sign(5n, 0, 3, Buffer.from('block A'));
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(doc).toEqual({ height: '5', round: 0, step: 3, signature: Buffer.from(sig).toString('base64'), signbytes: Buffer.from('block A').toString('hex').toUpperCase() });
    const again = PrivValidator.load(key, file);
    expect(Buffer.from(again.sign(5n, 0, 3, Buffer.from('block A'))).equals(Buffer.from(sig))).toBe(true);
    expect(() => again.sign(5n, 0, 3, Buffer.from('block B'))).toThrow(/already signed/);
    expect(() => again.sign(4n, 0, 3, Buffer.from('older'))).toThrow(/height regression/);
  });

  it('rejects malformed key files with a typed error', () => {
    expect(() => parsePrivValidatorKey({ priv_key: { value: 'AAAA' } })).toThrow(/invalid validator key file/);
    expect(() => parsePrivValidatorKey({})).toThrow(/priv_key.value is missing/);
  });
});

/**
 * Unit tests of the runtime's pieces: gas metering, the module manager, the upgrade gate,
 * the verified-signature cache and single ante stages.
 */
import { TxBody, TxRaw, AuthInfo } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { MemStore } from '../store/memstore';
import type { KVStore } from '../store/types';
import { CodedError, type RegisteredError } from '../types/errors';
import { checkOrdering, checkTxSize, DEFAULT_ANTE_PARAMS, setUpGas, signerPubKey } from './ante';
import { Context } from './context';
import { ErrInvalidGasLimit, ErrInvalidPubKey, ErrNotSupported, ErrOutOfGas, ErrTxTimeout, ErrTxTooLarge, ErrUpgradeRequired, ErrInvalidUpgradePlan } from './errors';
import { BasicGasMeter, GasKVStore, KVGas } from './gas';
import { ModuleManager, mergeValidatorUpdates } from './manager';
import type { AppModule } from './module';
import { VerifiedSignatures } from './sigcache';
import { decodeTx, type DecodedTx } from './tx';
import { readChainVersion, readUpgradePlan, scheduleUpgrade, upgradeGate, writeChainVersion } from './upgrade';

function expectCoded(fn: () => unknown, err: RegisteredError, text?: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CodedError);
    expect((e as CodedError).is(err)).toBe(true);
    if (text) expect((e as CodedError).message).toContain(text);
    return;
  }
  throw new Error(`expected ${err.codespace}/${err.code}`);
}

function ctxOver(stores: Record<string, KVStore>, over: Partial<ConstructorParameters<typeof Context>[0]> = {}): Context {
  return new Context({
    mode: 'deliver',
    block: { chainId: 'c', height: 10, time: { seconds: 1000n, nanos: 0 }, proposer: new Uint8Array() },
    stores: { getStore: (n) => stores[n] },
    ...over,
  });
}

describe('gas', () => {
  test('KV accesses are charged with the Cosmos constants and out of gas is its own error', () => {
    const meter = new BasicGasMeter(10_000);
    const store = new GasKVStore(new MemStore(), meter);
    store.set(Uint8Array.of(1), Uint8Array.of(2, 3));
    expect(meter.consumed()).toBe(KVGas.writeCostFlat + 3 * KVGas.writeCostPerByte);
    store.get(Uint8Array.of(1));
    expect(meter.consumed()).toBe(2090 + KVGas.readCostFlat + 3 * KVGas.readCostPerByte);
    for (const _ of store.iterator()) void _;
    expect(meter.consumed()).toBe(3099 + KVGas.iterNextCostFlat + 3 * KVGas.readCostPerByte);
    expectCoded(() => meter.consume(100_000, 'big'), ErrOutOfGas, 'gasWanted: 10000');
  });
});

describe('module manager', () => {
  const mod = (name: string, extra: Partial<AppModule> = {}): AppModule => ({ name, storeKeys: [name], ...extra });

  test('refuses duplicate names, store keys, routes and incomplete orders', () => {
    expect(() => new ModuleManager([mod('a'), mod('a')])).toThrow('listed twice');
    expect(() => new ModuleManager([mod('a'), { name: 'b', storeKeys: ['a'] }])).toThrow('claimed by a and b');
    expect(() => new ModuleManager([mod('a'), mod('b')], { endBlock: ['a'] })).toThrow('missing module b');
  });

  test('runs hooks in the declared order, merges validator updates, passes consensus params through', () => {
    const log: string[] = [];
    const m = new ModuleManager(
      [
        mod('a', { beginBlock: () => void log.push('begin a'), endBlock: () => ({ validatorUpdates: [{ ed25519PubKey: Uint8Array.of(1), power: 5n }] }) }),
        mod('b', { beginBlock: () => void log.push('begin b'), endBlock: () => ({ validatorUpdates: [{ ed25519PubKey: Uint8Array.of(2), power: 0n }], consensusParamUpdates: { block: { maxBytes: 1n, maxGas: -1n } } }) }),
      ],
      { beginBlock: ['b', 'a'], endBlock: ['b', 'a'] },
    );
    const ctx = ctxOver({});
    m.beginBlock(ctx);
    expect(log).toEqual(['begin b', 'begin a']);
    const end = m.endBlock(ctx);
    expect(end.validatorUpdates.map((u) => [u.ed25519PubKey[0], u.power])).toEqual([[2, 0n], [1, 5n]]);
    expect(end.consensusParamUpdates?.block?.maxBytes).toBe(1n);
    expect(() => mergeValidatorUpdates([[{ ed25519PubKey: Uint8Array.of(1), power: 1n }], [{ ed25519PubKey: Uint8Array.of(1), power: 2n }]])).toThrow('updated twice');
  });

  test('genesis sections are validated per module and unknown sections are refused', () => {
    const m = new ModuleManager([mod('a', { genesis: { defaultGenesis: () => ({ n: 1 }), validateGenesis: (j) => { if ((j as { n: number }).n < 0) throw new Error('a.n: negative'); }, initGenesis: () => undefined, exportGenesis: () => ({}) } })]);
    expect(m.defaultGenesis()).toEqual({ a: { n: 1 } });
    expect(() => m.validateGenesis({ a: { n: -1 } })).toThrow('a.n: negative');
    expect(() => m.validateGenesis({ zz: {} })).toThrow('app_state.zz');
  });
});

describe('upgrade gate', () => {
  test('a plan switches the chain version at its height and refuses other binaries', () => {
    const store = new MemStore();
    writeChainVersion(store, 'v1');
    expectCoded(() => scheduleUpgrade(store, { name: 'x', version: 'v2', height: 5 }, 5), ErrInvalidUpgradePlan, 'above the current height 5');
    scheduleUpgrade(store, { name: 'x', version: 'v2', height: 8 }, 5);
    expect(upgradeGate(store, 7, 'v1')).toBeUndefined();
    expectCoded(() => upgradeGate(store, 7, 'v2'), ErrUpgradeRequired, 'the chain runs version v1; this binary is version v2; upgrade "x" to v2 is planned at height 8');
    expectCoded(() => upgradeGate(store, 8, 'v1'), ErrUpgradeRequired, 'requires version v2 from height 8');
    expect(readChainVersion(store)).toBe('v1');
    expect(upgradeGate(store, 8, 'v2')).toEqual({ name: 'x', version: 'v2', height: 8 });
    expect(readChainVersion(store)).toBe('v2');
    expect(readUpgradePlan(store)).toBeUndefined();
  });
});

describe('verified-signature cache', () => {
  test('remembers only successes, by the full triple, and stays within capacity', () => {
    const cache = new VerifiedSignatures(2);
    let calls = 0;
    const verify = cache.wrap((_p, _d, s) => {
      calls++;
      return s[0] === 1;
    });
    const p = Uint8Array.of(2);
    const d = Uint8Array.of(3);
    expect(verify(p, d, Uint8Array.of(1))).toBe(true);
    expect(verify(p, d, Uint8Array.of(1))).toBe(true);
    expect(calls).toBe(1);
    expect(verify(p, Uint8Array.of(4), Uint8Array.of(1))).toBe(true);
    expect(calls).toBe(2);
    expect(verify(p, d, Uint8Array.of(0))).toBe(false);
    expect(verify(p, d, Uint8Array.of(0))).toBe(false);
    expect(calls).toBe(4);
    cache.add(p, d, Uint8Array.of(9));
    expect(cache.size).toBe(2);
  });
});

describe('ante stages', () => {
  const router = { msgRoute: () => ({ typeUrl: '/t.M', decode: () => ({}), signers: () => ['x'], responseTypeUrl: '/t.R', encodeResponse: () => new Uint8Array(), handle: () => ({}) }) };
  const txWith = (body: Partial<TxBody>, auth: Partial<AuthInfo> = {}): DecodedTx =>
    decodeTx(
      TxRaw.encode({
        bodyBytes: TxBody.encode(TxBody.fromPartial({ messages: [{ typeUrl: '/t.M', value: new Uint8Array() }], ...body })).finish(),
        authInfoBytes: AuthInfo.encode(AuthInfo.fromPartial(auth)).finish(),
        signatures: [new Uint8Array(64)],
      }).finish(),
      router,
    );

  test('size, unordered, timeout timestamp, gas limit and public key checks', () => {
    expectCoded(() => checkTxSize(new Uint8Array(DEFAULT_ANTE_PARAMS.maxTxBytes + 1), DEFAULT_ANTE_PARAMS), ErrTxTooLarge);
    const ctx = ctxOver({});
    expectCoded(() => checkOrdering(ctx, txWith({ unordered: true })), ErrNotSupported, 'unordered');
    expectCoded(() => checkOrdering(ctx, txWith({ timeoutTimestamp: { seconds: 999n, nanos: 0 } })), ErrTxTimeout, 'past the tx timeout timestamp 999.0s');
    expect(() => checkOrdering(ctx, txWith({ timeoutTimestamp: { seconds: 1000n, nanos: 0 } }))).not.toThrow();
    expectCoded(() => setUpGas(ctx, txWith({})), ErrInvalidGasLimit);
    expect(setUpGas(ctx.withMode('simulate'), txWith({})).limit).toBe(Number.MAX_SAFE_INTEGER);
    expectCoded(() => signerPubKey({ publicKey: { typeUrl: '/cosmos.crypto.ed25519.PubKey', value: new Uint8Array() }, sequence: 0n }, 0), ErrInvalidPubKey, 'unsupported public key type');
    expectCoded(() => signerPubKey({ publicKey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: Uint8Array.of(10, 2, 4, 5) }, sequence: 0n }, 0), ErrInvalidPubKey, '33 bytes');
  });
});

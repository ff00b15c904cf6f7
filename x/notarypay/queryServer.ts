/**
 * Query routes at /sekai.notarypay.v1.Query/<Method>, shaped like Komodo's notary RPCs.
 * Everything is computed from committed state: "now" is the time of the block being
 * queried (its BlockRecord), never the wall clock.
 */
import type { QueryContext } from '../../runtime/context';
import { queryRoute, type QueryRoute } from '../../runtime/module';
import { FundingMode } from '../../proto/gen/sekai/notarypay/v1/notarypay';
import {
  QueryEraHeightsRequest,
  QueryEraHeightsResponse,
  QueryErasRequest,
  QueryErasResponse,
  QueryIguanaJsonRequest,
  QueryIguanaJsonResponse,
  QueryLastNotarizationRequest,
  QueryLastNotarizationResponse,
  QueryNotaryPayInfoRequest,
  QueryNotaryPayInfoResponse,
  QueryNotarySendManyRequest,
  QueryNotarySendManyResponse,
  QueryProposerTallyRequest,
  QueryProposerTallyResponse,
} from '../../proto/gen/sekai/notarypay/v1/query';
import { BURN_ADDRESS, DEFAULT_BLOCKS_PER_NOTARIZATION, hex, minSigs, type NotaryPayKeeper } from './keeper';
import { ErrInvalidQuery } from './types/errors';

const path = (m: string) => `/sekai.notarypay.v1.Query/${m}`;
const SECONDS_PER_DAY = 86_400n;

/** The era at the queried block's time. */
function currentEra(k: NotaryPayKeeper, ctx: QueryContext) {
  const rec = k.blockRecord(ctx, ctx.height);
  if (!rec) return undefined;
  return k.eraAt(ctx, { seconds: rec.timeSeconds, nanos: rec.timeNanos });
}

/** getnotarypayinfo, with the cadence measured on chain instead of Komodo's fixed 5 blocks. */
export function notaryPayInfo(k: NotaryPayKeeper, ctx: QueryContext): QueryNotaryPayInfoResponse {
  const params = k.params(ctx);
  const state = k.state(ctx);
  const balance = k.burnBalance(ctx);
  const total = BigInt(state.totalPay);
  const intervalMs = k.blockIntervalMs(ctx, ctx.height);
  const bpnMilli =
    state.notarizations >= 2n
      ? ((state.lastNotarizationBlock - state.firstNotarizationBlock) * 1000n) / (state.notarizations - 1n)
      : DEFAULT_BLOCKS_PER_NOTARIZATION * 1000n;
  const pay = BigInt(currentEra(k, ctx)?.era.pay ?? '0');
  const spent = k.burnSpent(ctx);
  let left = 0n;
  // Komodo's estimates are 0 once the burn address has spent.
  if (!spent && params.funding === FundingMode.FUNDING_MODE_BURN_FUNDED && pay > 0n && balance > total) left = (balance - total) / pay;
  const blocksLeft = (left * bpnMilli) / 1000n;
  const secondsLeft = (blocksLeft * intervalMs) / 1000n;
  return {
    height: BigInt(ctx.height),
    balance: balance.toString(),
    spent,
    totalNotaryPay: total.toString(),
    estimatedNotarizationsLeft: left,
    estimatedDaysLeft: secondsLeft / SECONDS_PER_DAY,
    estimatedHeight: left > 0n ? BigInt(ctx.height) + blocksLeft : 0n,
    funding: params.funding,
    burnAddress: BURN_ADDRESS,
    blockIntervalMs: intervalMs,
    blocksPerNotarizationMilli: bpnMilli,
    notarizations: state.notarizations,
  };
}

export function notaryPayQueries(k: NotaryPayKeeper): QueryRoute[] {
  return [
    queryRoute({
      path: path('NotaryPayInfo'),
      requestCodec: QueryNotaryPayInfoRequest,
      responseCodec: QueryNotaryPayInfoResponse,
      handle: (ctx) => notaryPayInfo(k, ctx),
    }),
    queryRoute({
      path: path('NotarySendMany'),
      requestCodec: QueryNotarySendManyRequest,
      responseCodec: QueryNotarySendManyResponse,
      handle: (ctx, req) => {
        const amount = req.amount === '' ? '0' : req.amount;
        if (!/^(0|[1-9][0-9]{0,76})$/.test(amount)) throw ErrInvalidQuery.wrap(`amount ${JSON.stringify(req.amount)} is not a decimal integer`);
        const era = currentEra(k, ctx)?.era;
        const addresses = (era?.notaries ?? []).map((n) => k.payoutAddress(ctx, n.pubKey)).sort();
        const amounts: Record<string, string> = {};
        for (const a of addresses) amounts[a] = amount;
        return { amounts };
      },
    }),
    queryRoute({
      path: path('IguanaJson'),
      requestCodec: QueryIguanaJsonRequest,
      responseCodec: QueryIguanaJsonResponse,
      handle: (ctx) => {
        const at = currentEra(k, ctx);
        if (!at) return { era: 0, minsigs: 0n, notaries: [], inGap: false };
        return {
          era: at.era.index,
          minsigs: BigInt(minSigs(at.era.notaries.length)),
          notaries: at.era.notaries.map((n) => ({ name: n.name, pubkey: hex(n.pubKey) })),
          inGap: at.inGap,
        };
      },
    }),
    queryRoute({
      path: path('EraHeights'),
      requestCodec: QueryEraHeightsRequest,
      responseCodec: QueryEraHeightsResponse,
      handle: (ctx) => ({ eras: k.eras(ctx).map((e) => ({ era: e.index, firstHeight: k.eraStartHeight(ctx, e.index), startTime: e.startTime })) }),
    }),
    queryRoute({
      path: path('LastNotarization'),
      requestCodec: QueryLastNotarizationRequest,
      responseCodec: QueryLastNotarizationResponse,
      handle: (ctx) => {
        const state = k.state(ctx);
        const era = state.lastEra > 0 ? k.era(ctx, state.lastEra) : undefined;
        const names = new Map((era?.notaries ?? []).map((n) => [hex(n.pubKey), n.name]));
        return { state, signerNames: state.lastSigners.map((pk) => names.get(hex(pk)) ?? hex(pk)) };
      },
    }),
    queryRoute({
      path: path('ProposerTally'),
      requestCodec: QueryProposerTallyRequest,
      responseCodec: QueryProposerTallyResponse,
      handle: (ctx, req) => {
        const window = k.params(ctx).blockRecordWindow;
        const depth = req.depth;
        if (depth < 1n) throw ErrInvalidQuery.wrap('depth must be at least 1');
        if (depth > BigInt(ctx.height)) throw ErrInvalidQuery.wrap(`depth ${depth} is above the chain height ${ctx.height}`);
        if (depth > window) throw ErrInvalidQuery.wrap(`depth ${depth} is above the ${window} recorded blocks`);
        const from = ctx.height - Number(depth) + 1;
        const counts = new Map<string, bigint>();
        for (const rec of k.blockRecords(ctx, from, ctx.height)) {
          const who = hex(rec.proposer);
          counts.set(who, (counts.get(who) ?? 0n) + 1n);
        }
        // eslint-disable-next-line determinism/no-unordered-iteration -- sorted right here
        const proposers = [...counts.keys()].sort().map((p) => ({ proposer: p, blocks: counts.get(p)! }));
        return { depth, fromHeight: BigInt(from), toHeight: BigInt(ctx.height), proposers };
      },
    }),
    queryRoute({
      path: path('Eras'),
      requestCodec: QueryErasRequest,
      responseCodec: QueryErasResponse,
      handle: (ctx) => {
        const at = currentEra(k, ctx);
        return {
          params: k.params(ctx),
          eras: k.eras(ctx),
          payouts: k.payoutBindings(ctx).map((b) => ({ pubKey: Buffer.from(b.pubKey), payout: k.accounts.addressOf(ctx, b.id) })),
          currentEra: at?.era.index ?? 0,
          inGap: at?.inGap ?? false,
        };
      },
    }),
  ];
}

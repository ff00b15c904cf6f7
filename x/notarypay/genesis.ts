/**
 * x/notarypay genesis: `app_state.notarypay`.
 *
 *   {
 *     "params": { "denom": "ukex", "funding": "emission" | "burn-funded",
 *                 "era_gap_seconds": "777", "block_record_window": "10000" },
 *     "eras": [{ "start_time": "0",                     // unix seconds (block time)
 *                "pay": "1500000000",                   // base units per notarization, split among signers
 *                "notaries": [{ "name": "alice", "pub_key": "<66 hex>",
 *                               "payout": "kira1…" }] }],  // payout optional (bound once)
 *     "payouts": [{ "pub_key": "<66 hex>", "payout": "kira1…" }],   // optional, written by export
 *     "state": <NotarizationState as proto JSON>,                   // optional, written by export
 *     "era_start_heights": [{ "era": 1, "height": "1" }]             // optional, written by export
 *   }
 *
 * Eras get indexes 1, 2, … in list order and must start in increasing time order.
 *
 * Recent block records and AppHashes (0x05, 0x06) are consensus state but are not exported,
 * by decision: they name blocks of the old chain, whose headers the new chain (initial
 * height H+1) does not have, so no node of the new chain could check a notarization of
 * them. What the next notarization needs does travel: the checkpoint record (`state`,
 * with the last notarized height that the next one must exceed), the eras, the era start
 * heights and the payouts. The new chain records its own blocks from H+1 on, and its
 * first notarizable height is H+1 (in block H+2). Block interval and proposer tally are
 * measured afresh from those records.
 */
import type { Context } from '../../runtime/context';
import { ErrInvalidGenesis } from '../../runtime/errors';
import type { ModuleGenesis } from '../../runtime/module';
import { Era, FundingMode, NotarizationState, type Params } from '../../proto/gen/sekai/notarypay/v1/notarypay';
import { validateDenom } from '../../types/coins';
import { DEFAULT_BLOCK_RECORD_WINDOW, DEFAULT_ERA_GAP_SECONDS, hex, validateEra, type NotaryPayKeeper } from './keeper';

export type FundingName = 'emission' | 'burn-funded';

export interface NotaryJson {
  name: string;
  pub_key: string;
  payout?: string;
}

export interface EraJson {
  start_time: string;
  pay: string;
  notaries: NotaryJson[];
}

export interface NotaryPayGenesisJson {
  params?: { denom?: string; funding?: FundingName; era_gap_seconds?: string; block_record_window?: string };
  eras?: EraJson[];
  payouts?: { pub_key: string; payout: string }[];
  state?: unknown;
  era_start_heights?: { era: number; height: string }[];
}

export function fundingFromName(name: string): FundingMode {
  if (name === 'emission') return FundingMode.FUNDING_MODE_EMISSION;
  if (name === 'burn-funded') return FundingMode.FUNDING_MODE_BURN_FUNDED;
  throw ErrInvalidGenesis.wrap(`notarypay.params.funding: ${JSON.stringify(name)} is not emission or burn-funded`);
}

export function fundingName(mode: FundingMode): FundingName {
  return mode === FundingMode.FUNDING_MODE_BURN_FUNDED ? 'burn-funded' : 'emission';
}

function uint(text: unknown, field: string): bigint {
  if (typeof text !== 'string' || !/^(0|[1-9][0-9]{0,18})$/.test(text)) throw ErrInvalidGenesis.wrap(`notarypay.${field}: ${JSON.stringify(text)} is not an unsigned integer`);
  return BigInt(text);
}

function pubKeyHex(text: unknown, field: string): Uint8Array {
  if (typeof text !== 'string' || !/^0[23][0-9a-fA-F]{64}$/.test(text)) throw ErrInvalidGenesis.wrap(`notarypay.${field}: must be a 66-hex-digit compressed secp256k1 key`);
  return Uint8Array.from(Buffer.from(text, 'hex'));
}

interface Parsed {
  params: Params;
  eras: Era[];
  payouts: { pubKey: Uint8Array; payout: string }[];
  state?: NotarizationState;
  eraStarts: { era: number; height: bigint }[];
}

export function parseNotaryPayGenesis(json: unknown): Parsed {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw ErrInvalidGenesis.wrap('notarypay: must be an object');
  const g = json as NotaryPayGenesisJson;
  const p = g.params ?? {};
  const denom = p.denom ?? 'ukex';
  try {
    validateDenom(denom);
  } catch (err) {
    throw ErrInvalidGenesis.wrap(`notarypay.params.denom: ${(err as Error).message}`);
  }
  const params: Params = {
    denom,
    funding: fundingFromName(p.funding ?? 'emission'),
    eraGapSeconds: p.era_gap_seconds === undefined ? DEFAULT_ERA_GAP_SECONDS : uint(p.era_gap_seconds, 'params.era_gap_seconds'),
    blockRecordWindow: p.block_record_window === undefined ? DEFAULT_BLOCK_RECORD_WINDOW : uint(p.block_record_window, 'params.block_record_window'),
  };
  if (params.blockRecordWindow < 2n) throw ErrInvalidGenesis.wrap('notarypay.params.block_record_window: must be at least 2');
  if (g.eras !== undefined && !Array.isArray(g.eras)) throw ErrInvalidGenesis.wrap('notarypay.eras: must be an array');
  const payouts: Parsed['payouts'] = [];
  const eras = (g.eras ?? []).map((e, i) => {
    const where = `eras[${i}]`;
    if (!Array.isArray(e?.notaries)) throw ErrInvalidGenesis.wrap(`notarypay.${where}.notaries: must be an array`);
    const era: Era = {
      index: i + 1,
      startTime: uint(e.start_time ?? '0', `${where}.start_time`),
      pay: typeof e.pay === 'string' ? e.pay : String(e.pay ?? ''),
      notaries: e.notaries.map((n, j) => {
        const pubKey = pubKeyHex(n?.pub_key, `${where}.notaries[${j}].pub_key`);
        if (n.payout !== undefined && n.payout !== '') payouts.push({ pubKey, payout: n.payout });
        return { name: typeof n.name === 'string' ? n.name : '', pubKey: Buffer.from(pubKey) };
      }),
    };
    try {
      validateEra(era);
    } catch (err) {
      throw ErrInvalidGenesis.wrap(`notarypay.${where}: ${(err as Error).message}`);
    }
    return era;
  });
  for (let i = 1; i < eras.length; i++) {
    if (eras[i].startTime <= eras[i - 1].startTime) throw ErrInvalidGenesis.wrap(`notarypay.eras[${i}].start_time: must be after era ${i}'s`);
  }
  (g.payouts ?? []).forEach((b, i) => payouts.push({ pubKey: pubKeyHex(b?.pub_key, `payouts[${i}].pub_key`), payout: String(b?.payout ?? '') }));
  const seen = new Set<string>();
  payouts.forEach((b) => {
    if (b.payout === '') throw ErrInvalidGenesis.wrap(`notarypay: payout of ${hex(b.pubKey)} is empty`);
    if (seen.has(hex(b.pubKey))) throw ErrInvalidGenesis.wrap(`notarypay: payout of ${hex(b.pubKey)} is set twice`);
    seen.add(hex(b.pubKey));
  });
  let state: NotarizationState | undefined;
  if (g.state !== undefined) {
    try {
      state = NotarizationState.fromJSON(g.state);
    } catch (err) {
      throw ErrInvalidGenesis.wrap(`notarypay.state: ${(err as Error).message}`);
    }
  }
  const eraStarts = (g.era_start_heights ?? []).map((s, i) => ({ era: Number(s.era), height: uint(s.height, `era_start_heights[${i}].height`) }));
  return { params, eras, payouts, state, eraStarts };
}

export function notaryPayGenesis(k: NotaryPayKeeper): ModuleGenesis {
  return {
    defaultGenesis: (): NotaryPayGenesisJson => ({
      params: { denom: 'ukex', funding: 'emission', era_gap_seconds: DEFAULT_ERA_GAP_SECONDS.toString(), block_record_window: DEFAULT_BLOCK_RECORD_WINDOW.toString() },
      eras: [],
    }),
    validateGenesis: (json) => void parseNotaryPayGenesis(json),
    initGenesis: (ctx: Context, json) => {
      const g = parseNotaryPayGenesis(json);
      k.setParams(ctx, g.params);
      for (const e of g.eras) k.appendEra(ctx, e);
      for (const b of g.payouts) k.bindPayout(ctx, b.pubKey, b.payout);
      if (g.state) k.setState(ctx, g.state);
      let last = 0;
      for (const s of g.eraStarts) {
        k.setEraStartHeight(ctx, s.era, s.height);
        last = Math.max(last, s.era);
      }
      if (last > 0) k.setTimeEra(ctx, last);
    },
    exportGenesis: (ctx): NotaryPayGenesisJson => {
      const params = k.params(ctx);
      const eras = k.eras(ctx);
      return {
        params: {
          denom: params.denom,
          funding: fundingName(params.funding),
          era_gap_seconds: params.eraGapSeconds.toString(),
          block_record_window: params.blockRecordWindow.toString(),
        },
        eras: eras.map((e) => ({ start_time: e.startTime.toString(), pay: e.pay, notaries: e.notaries.map((n) => ({ name: n.name, pub_key: hex(n.pubKey) })) })),
        payouts: k.payoutBindings(ctx).map((b) => ({ pub_key: hex(b.pubKey), payout: k.accounts.addressOf(ctx, b.id) })),
        state: NotarizationState.toJSON(k.state(ctx)),
        era_start_heights: eras.map((e) => ({ era: e.index, height: k.eraStartHeight(ctx, e.index).toString() })).filter((s) => s.height !== '0'),
      };
    },
  };
}

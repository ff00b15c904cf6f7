/**
 * One validator: its record and signing counters (live), and its rank history as a chart.
 * The history comes from the same Validator query asked at past heights (abci_query's
 * `height`): up to HISTORY_POINTS heights evenly spread from the validator's start height to
 * the latest block; heights whose state the node has pruned are left out.
 */
import { status, validatorAt, validatorRows, type ValidatorRow } from '../chain';
import { percent, ratePercent, timeText, unixSeconds } from '../format';
import { useChain, useLive } from '../live';
import type { Rpc } from '../rpc';
import { ErrorNote, Facts, Loading } from './common';
import { StatusBadge } from './Validators';

const HISTORY_POINTS = 48;

export interface RankPoint {
  height: number;
  rank: number;
  status: string;
}

async function rankHistory(rpc: Rpc, valoper: string): Promise<RankPoint[]> {
  const now = await validatorAt(rpc, valoper);
  if (!now) return [];
  const { height: latest } = await status(rpc);
  const first = Math.max(1, Number(now.startHeight));
  const span = latest - first;
  const heights = new Set<number>();
  for (let i = 0; i < HISTORY_POINTS; i++) heights.add(first + Math.round((span * i) / Math.max(1, HISTORY_POINTS - 1)));
  const points = await Promise.all(
    [...heights].map(async (height) => {
      const v = await validatorAt(rpc, valoper, height).catch(() => undefined);
      return v ? { height, rank: Number(v.rank), status: String(v.status) } : undefined;
    }),
  );
  return points.filter((p): p is RankPoint => p !== undefined).sort((a, b) => a.height - b.height);
}

/** An SVG line of rank over height; pure markup so it costs nothing in the bundle. */
export function RankChart({ points }: { points: RankPoint[] }) {
  const W = 640;
  const H = 200;
  const pad = { l: 48, r: 12, t: 12, b: 28 };
  if (points.length === 0) return <p class="empty">No rank history available (the node keeps no older state).</p>;
  const minH = points[0].height;
  const maxH = points[points.length - 1].height;
  const maxR = Math.max(1, ...points.map((p) => p.rank));
  const x = (h: number) => pad.l + ((W - pad.l - pad.r) * (h - minH)) / Math.max(1, maxH - minH);
  const y = (r: number) => H - pad.b - ((H - pad.t - pad.b) * r) / maxR;
  const line = points.map((p) => `${x(p.height).toFixed(1)},${y(p.rank).toFixed(1)}`).join(' ');
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Rank from ${points[0].rank} at height ${minH} to ${points[points.length - 1].rank} at height ${maxH}`}>
        <line x1={pad.l} y1={H - pad.b} x2={W - pad.r} y2={H - pad.b} class="axis" />
        <line x1={pad.l} y1={pad.t} x2={pad.l} y2={H - pad.b} class="axis" />
        <text x={pad.l - 6} y={y(maxR) + 4} class="tick" text-anchor="end">{maxR}</text>
        <text x={pad.l - 6} y={H - pad.b + 4} class="tick" text-anchor="end">0</text>
        <text x={pad.l} y={H - 8} class="tick">{minH}</text>
        <text x={W - pad.r} y={H - 8} class="tick" text-anchor="end">{maxH}</text>
        <polyline points={line} class="rank-line" />
      </svg>
      <figcaption>Rank by block height ({points.length} samples)</figcaption>
    </figure>
  );
}

export function ValidatorPage({ valoper }: { valoper: string }) {
  const { latest } = useChain();
  const row = useLive(async (rpc): Promise<ValidatorRow | undefined> => (await validatorRows(rpc)).rows.find((r) => r.valKey === valoper), [valoper]);
  const history = useLive((rpc) => rankHistory(rpc, valoper), [valoper], { live: false });
  const now = unixSeconds(latest?.time);

  if (row.loading && !row.data) return <Loading what="validator" />;
  if (!row.data) return <ErrorNote text={row.error ?? `No validator ${valoper}`} />;
  const r = row.data;
  const points = (history.data ?? []).slice();
  if (latest && points.length > 0 && points[points.length - 1].height < latest.height) points.push({ height: latest.height, rank: Number(r.rank), status: r.status });
  return (
    <section>
      <p>
        <a href="#/">← All validators</a>
      </p>
      <h1>
        {r.moniker} <StatusBadge row={r} now={now} />
      </h1>
      <Facts
        items={[
          ['Rank', <span data-col="rank">{r.rank.toString()}</span>],
          ['Streak', r.streak.toString()],
          ['Mischance', `${r.mischance} (confidence ${r.mischanceConfidence})`],
          ['Uptime', `${percent(r.produced, r.produced + r.missed)} (${r.produced} produced, ${r.missed} missed)`],
          ['Commission', ratePercent(r.commission)],
          ['Operator', <code>{r.valKey}</code>],
          ['Account', <a href={`#/account/${r.address}`}>{r.address}</a>],
          ['Consensus address', <code>{r.consAddress}</code>],
          ['Joined at height', r.startHeight.toString()],
          ...(r.status === 'JAILED' ? [['Jailed until', timeText(r.jailedUntil)] as [string, string]] : []),
          ...(r.status === 'INACTIVE' ? [['May activate from', timeText(r.inactiveUntil)] as [string, string]] : []),
        ]}
      />
      <h2>Rank history</h2>
      {history.data ? <RankChart points={points} /> : history.error ? <ErrorNote text={history.error} /> : <Loading what="rank history" />}
    </section>
  );
}

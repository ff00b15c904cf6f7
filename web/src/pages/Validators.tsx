/**
 * The public ranking (KIRA: the rank "can only impact node visibility in the public ranking
 * system on the frontend application"): every validator with its rank, streak, mischance and
 * status, refreshed on each block; sortable by any column, filterable by name and status.
 */
import { useState } from 'preact/hooks';
import { validatorRows, type ValidatorRow } from '../chain';
import { duration, percent, ratePercent, short, unixSeconds } from '../format';
import { useChain, useLive } from '../live';
import { ErrorNote, Loading } from './common';

type SortKey = 'position' | 'moniker' | 'status' | 'rank' | 'streak' | 'mischance' | 'mischanceConfidence' | 'uptime' | 'commission';

const STATUSES = ['ACTIVE', 'PAUSED', 'INACTIVE', 'JAILED'] as const;

/** KIRA's order of merit: rank, then streak, then fewer mischances, then name. */
function byMerit(a: ValidatorRow, b: ValidatorRow): number {
  if (a.rank !== b.rank) return a.rank > b.rank ? -1 : 1;
  if (a.streak !== b.streak) return a.streak > b.streak ? -1 : 1;
  if (a.mischance !== b.mischance) return a.mischance < b.mischance ? -1 : 1;
  return a.moniker.localeCompare(b.moniker);
}

const uptimeBp = (r: ValidatorRow) => {
  const total = r.produced + r.missed;
  return total === 0n ? -1n : (r.produced * 10000n) / total;
};

function compare(key: SortKey, a: ValidatorRow, b: ValidatorRow, position: Map<string, number>): number {
  const cmp = <T extends bigint | number | string>(x: T, y: T) => (x < y ? -1 : x > y ? 1 : 0);
  switch (key) {
    case 'position':
      return position.get(a.valKey)! - position.get(b.valKey)!;
    case 'moniker':
      return a.moniker.localeCompare(b.moniker);
    case 'status':
      return a.status.localeCompare(b.status);
    case 'uptime':
      return cmp(uptimeBp(a), uptimeBp(b));
    case 'commission':
      return cmp(Number(a.commission || 0), Number(b.commission || 0));
    default:
      return cmp(a[key], b[key]);
  }
}

/** The status with what is left of a jail or inactivity period, from the latest block time. */
export function statusText(r: ValidatorRow, now: number | undefined): string {
  if (now === undefined) return r.status;
  if (r.status === 'JAILED' && Number(r.jailedUntil) > now) return `JAILED · ${duration(Number(r.jailedUntil) - now)} left`;
  if (r.status === 'INACTIVE' && Number(r.inactiveUntil) > now) return `INACTIVE · ${duration(Number(r.inactiveUntil) - now)} left`;
  return r.status;
}

export function StatusBadge({ row, now }: { row: ValidatorRow; now: number | undefined }) {
  return (
    <span class={`badge badge-${row.status.toLowerCase()}`} data-status={row.status}>
      {statusText(row, now)}
    </span>
  );
}

export function ValidatorsPage() {
  const { latest } = useChain();
  const rows = useLive(validatorRows, []);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'position', desc: false });
  const [filter, setFilter] = useState('');
  const [status, setStatus] = useState('');
  const now = unixSeconds(latest?.time);

  if (!rows.data) return rows.error ? <ErrorNote text={rows.error} /> : <Loading what="validators" />;
  const all = rows.data.rows;
  const ranked = all.slice().sort(byMerit);
  const position = new Map(ranked.map((r, i) => [r.valKey, i + 1]));
  const needle = filter.trim().toLowerCase();
  const shown = ranked
    .filter((r) => (status === '' || r.status === status) && (needle === '' || [r.moniker, r.valKey, r.address].some((s) => s.toLowerCase().includes(needle))))
    .sort((a, b) => (sort.desc ? -1 : 1) * compare(sort.key, a, b, position));
  const counts = Object.fromEntries(STATUSES.map((s) => [s, all.filter((r) => r.status === s).length]));

  const header = (key: SortKey, label: string, cls = '') => {
    const active = sort.key === key;
    return (
      <th class={cls} aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'} scope="col">
        <button type="button" class="sort" onClick={() => setSort({ key, desc: active ? !sort.desc : key !== 'position' && key !== 'moniker' && key !== 'status' })}>
          {label}
          <span class="arrow" aria-hidden="true">{active ? (sort.desc ? '▼' : '▲') : ''}</span>
        </button>
      </th>
    );
  };

  return (
    <section>
      <h1>Validator ranking</h1>
      <p class="summary" data-testid="validator-counts">
        {all.length} validators at height {rows.data.height}: {STATUSES.map((s) => `${counts[s]} ${s.toLowerCase()}`).join(', ')}
      </p>
      {rows.error && <ErrorNote text={rows.error} />}
      <div class="controls">
        <label>
          Search <input type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} placeholder="moniker or address" />
        </label>
        <label>
          Status{' '}
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">all</option>
            {STATUSES.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </label>
      </div>
      <div class="table-wrap">
        <table class="validators" data-height={rows.data.height}>
          <thead>
            <tr>
              {header('position', '#', 'num')}
              {header('moniker', 'Moniker')}
              {header('status', 'Status')}
              {header('rank', 'Rank', 'num')}
              {header('streak', 'Streak', 'num')}
              {header('mischance', 'Mischance', 'num')}
              {header('mischanceConfidence', 'Confidence', 'num opt')}
              {header('uptime', 'Uptime', 'num opt')}
              {header('commission', 'Commission', 'num opt')}
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.valKey} data-valoper={r.valKey} data-moniker={r.moniker}>
                <td class="num">{position.get(r.valKey)}</td>
                <td class="moniker">
                  <a href={`#/validator/${r.valKey}`}>{r.moniker || short(r.valKey)}</a>
                </td>
                <td data-col="status">
                  <StatusBadge row={r} now={now} />
                </td>
                <td class="num" data-col="rank">{r.rank.toString()}</td>
                <td class="num" data-col="streak">{r.streak.toString()}</td>
                <td class="num" data-col="mischance">{r.mischance.toString()}</td>
                <td class="num opt" data-col="mischance_confidence">{r.mischanceConfidence.toString()}</td>
                <td class="num opt" data-col="uptime" title={`${r.produced} produced, ${r.missed} missed since height ${r.startHeight}`}>
                  {percent(r.produced, r.produced + r.missed)}
                </td>
                <td class="num opt" data-col="commission">{ratePercent(r.commission)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length === 0 && <p class="empty">No validator matches.</p>}
    </section>
  );
}

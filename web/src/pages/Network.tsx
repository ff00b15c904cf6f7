/**
 * Network: the latest blocks and txs (live), network properties, notary eras and recent
 * notarizations with the notaries paid, and bridge chains with their pending events, action
 * queue and admin proposals.
 */
import { actionStatusToJSON, eventStatusToJSON } from '../../../proto/gen/sekai/bridge/v1/bridge';
import { bridgeOverview, latestBlocks, networkProperties, notaryOverview, searchTxs, type TxSummary } from '../chain';
import { short, timeText } from '../format';
import { useLive } from '../live';
import { ErrorNote, Facts, Loading } from './common';

export function TxTable({ txs }: { txs: TxSummary[] }) {
  if (txs.length === 0) return <p class="empty">No transactions.</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Hash</th>
            <th scope="col" class="num">Height</th>
            <th scope="col">Messages</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {txs.map((t) => (
            <tr key={t.hash} data-tx={t.hash}>
              <td>
                <a href={`#/tx/${t.hash}`}>
                  <code>{short(t.hash, 8, 6)}</code>
                </a>
              </td>
              <td class="num">
                <a href={`#/block/${t.height}`}>{t.height}</a>
              </td>
              <td class="wrap">{t.messages.map((m) => m.replace(/^sekai\.|^cosmos\./, '')).join(', ')}</td>
              <td>{t.code === 0 ? 'ok' : <span class="error" title={t.log}>code {t.code}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Blocks() {
  const blocks = useLive((rpc) => latestBlocks(rpc, 15), []);
  const txs = useLive((rpc) => searchTxs(rpc, 'tx.height > 0', 15), []);
  return (
    <div class="cards two">
      <div>
        <h2>Latest blocks</h2>
        {blocks.error && <ErrorNote text={blocks.error} />}
        {blocks.data ? (
          <div class="table-wrap">
            <table data-testid="blocks">
              <thead>
                <tr>
                  <th scope="col" class="num">Height</th>
                  <th scope="col">Time</th>
                  <th scope="col" class="num">Txs</th>
                </tr>
              </thead>
              <tbody>
                {blocks.data
                  .slice()
                  .sort((a, b) => b.height - a.height)
                  .map((b) => (
                    <tr key={b.height}>
                      <td class="num">
                        <a href={`#/block/${b.height}`}>{b.height}</a>
                      </td>
                      <td>{b.time.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</td>
                      <td class="num">{b.txs}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        ) : (
          !blocks.error && <Loading what="blocks" />
        )}
      </div>
      <div>
        <h2>Latest transactions</h2>
        {txs.error && <ErrorNote text={txs.error} />}
        {txs.data ? <TxTable txs={txs.data} /> : !txs.error && <Loading what="transactions" />}
      </div>
    </div>
  );
}

function Properties() {
  const props = useLive(networkProperties, [], { live: false });
  if (props.error) return <ErrorNote text={props.error} />;
  if (!props.data) return <Loading what="network properties" />;
  return (
    <details>
      <summary>{props.data.length} network properties</summary>
      <Facts items={props.data.map((p) => [p.name, p.value])} />
    </details>
  );
}

function Notary() {
  const n = useLive(notaryOverview, []);
  if (n.error) return <ErrorNote text={n.error} />;
  if (!n.data) return <Loading what="notary pay" />;
  const { eras, last, info, recent } = n.data;
  const lastState = last.state;
  return (
    <div>
      <Facts
        items={[
          ['Current era', String(eras.currentEra)],
          ['Notarizations', String(info.notarizations ?? '0')],
          ['Pay balance', String(info.balance ?? '–')],
          ['Last notarized height', lastState ? lastState.lastNotarizedHeight.toString() : '–'],
          ['Last paid notaries', last.signerNames.length ? `${last.signerNames.join(', ')} (${lastState?.lastPayPerSigner ?? ''} each)` : '–'],
        ]}
      />
      {eras.eras.length > 0 && (
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col" class="num">Era</th>
              <th scope="col">Starts</th>
              <th scope="col">Notaries</th>
              <th scope="col">Pay per notarization</th>
            </tr>
          </thead>
          <tbody>
            {eras.eras.map((e) => (
              <tr key={e.index}>
                <td class="num">{e.index}</td>
                <td>{timeText(e.startTime)}</td>
                <td class="wrap">{e.notaries.map((x) => x.name).join(', ')}</td>
                <td>{e.pay || '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      )}
      {eras.eras.length === 0 && <p class="empty">No notary eras.</p>}
      <h3>Recent notarizations</h3>
      {recent.length === 0 ? (
        <p class="empty">No notarizations yet.</p>
      ) : (
        <ul>
          {recent.map((t) => {
            const ev = t.events.find((e) => e.type === 'notarization')?.attributes ?? {};
            return (
              <li key={t.hash}>
                height {ev.height} notarized in block <a href={`#/tx/${t.hash}`}>{t.height}</a>: {ev.signers} notaries paid {ev.pay_per_signer} each
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

function Bridge() {
  const b = useLive(bridgeOverview, []);
  if (b.error) return <ErrorNote text={b.error} />;
  if (!b.data) return <Loading what="bridge" />;
  return (
    <div>
      {b.data.perChain.length === 0 && <p class="empty">No bridged chains.</p>}
      {b.data.perChain.map(({ chain, events, actions }) => {
        const pending = events.events.filter((e) => eventStatusToJSON(e.status) === 'EVENT_STATUS_PENDING');
        const queued = actions.actions.filter((a) => actionStatusToJSON(a.status) === 'ACTION_STATUS_PENDING');
        return (
          <article class="card" key={chain.config?.name}>
            <h3>{chain.config?.name}</h3>
            <Facts
              items={[
                ['Contract', chain.config?.contract || '–'],
                ['Next event', chain.nextEventId.toString()],
                ['Pending events', pending.map((e) => `#${e.eventId}`).join(', ') || 'none'],
                ['Action queue', queued.map((a) => `#${a.actionId}`).join(', ') || 'empty'],
                ['Withdrawal queue', `${chain.queueTail - chain.queueHead} waiting`],
              ]}
            />
          </article>
        );
      })}
      <h3>Admin proposals</h3>
      {b.data.proposals.length === 0 ? (
        <p class="empty">No open admin proposals.</p>
      ) : (
        <ul>
          {b.data.proposals.map((p) => (
            <li key={p.id.toString()}>
              #{p.id.toString()} at height {p.height.toString()}: {p.approvals.length} approval(s)
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function NetworkPage() {
  return (
    <section>
      <h1>Network</h1>
      <Blocks />
      <h2>Network properties</h2>
      <Properties />
      <h2>Notary pay</h2>
      <Notary />
      <h2>Bridge</h2>
      <Bridge />
    </section>
  );
}

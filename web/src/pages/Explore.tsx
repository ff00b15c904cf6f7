/**
 * Search (by tx hash, block height, account address, name or ID, validator moniker) and the
 * pages it leads to: one account (balances, names, keys, wallets, roles, recent txs), one
 * block and one tx.
 */
import { actorOf, actorStatusName, account, balances, blockAt, permissionName, searchTxs, txByHash, validatorRows } from '../chain';
import { useLive } from '../live';
import { ErrorNote, Facts, Loading } from './common';
import { TxTable } from './Network';

const HASH = /^(0x)?[0-9a-fA-F]{64}$/;

interface Hit {
  href: string;
  label: string;
}

async function search(rpc: Parameters<typeof account>[0], text: string): Promise<Hit[]> {
  const q = text.trim();
  if (q === '') return [];
  const hits: Hit[] = [];
  if (HASH.test(q)) {
    const h = q.replace(/^0x/, '').toUpperCase();
    const tx = await txByHash(rpc, h);
    if (tx) hits.push({ href: `#/tx/${tx.hash}`, label: `Transaction ${tx.hash} at height ${tx.height}` });
  }
  if (/^\d+$/.test(q)) {
    const block = await blockAt(rpc, Number(q));
    if (block) hits.push({ href: `#/block/${block.height}`, label: `Block ${block.height}` });
  }
  if (q.startsWith('kiravaloper1')) {
    const v = (await validatorRows(rpc)).rows.find((r) => r.valKey === q);
    if (v) hits.push({ href: `#/validator/${v.valKey}`, label: `Validator ${v.moniker}` });
  }
  // Addresses, names and numeric IDs are all references x/accountid resolves.
  if (!HASH.test(q) && !q.startsWith('kiravaloper1')) {
    const acc = await account(rpc, q);
    if (acc) hits.push({ href: `#/account/${acc.address}`, label: `Account ${acc.id}${acc.name ? ` "${acc.name}"` : ''} (${acc.address})` });
  }
  if (!HASH.test(q)) {
    const needle = q.toLowerCase();
    for (const v of (await validatorRows(rpc)).rows) if (v.moniker.toLowerCase().includes(needle)) hits.push({ href: `#/validator/${v.valKey}`, label: `Validator ${v.moniker}` });
  }
  return hits.filter((h, i) => hits.findIndex((x) => x.href === h.href) === i);
}

export function SearchPage({ text }: { text: string }) {
  const hits = useLive((rpc) => search(rpc, text), [text], { live: false });
  return (
    <section>
      <h1>Search: “{text}”</h1>
      {hits.error && <ErrorNote text={hits.error} />}
      {!hits.data ? (
        !hits.error && <Loading what="results" />
      ) : hits.data.length === 0 ? (
        <p class="empty" data-testid="no-results">
          Nothing found. Search by tx hash, block height, account address, account name or ID, or validator moniker.
        </p>
      ) : (
        <ul data-testid="results">
          {hits.data.map((h) => (
            <li key={h.href}>
              <a href={h.href}>{h.label}</a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function AccountPage({ refText }: { refText: string }) {
  const data = useLive(
    async (rpc) => {
      const acc = await account(rpc, refText);
      const address = acc?.address ?? (refText.startsWith('kira1') ? refText : undefined);
      if (!address) return undefined;
      const [coins, actor, txs, validators] = await Promise.all([
        balances(rpc, address),
        actorOf(rpc, address),
        searchTxs(rpc, `message.sender='${address}'`, 10),
        validatorRows(rpc),
      ]);
      return { acc, address, coins, actor, txs, validator: validators.rows.find((v) => v.address === address) };
    },
    [refText],
  );
  if (data.error && !data.data) return <ErrorNote text={data.error} />;
  if (data.loading && !data.data) return <Loading what="account" />;
  if (!data.data) return <ErrorNote text={`No account ${refText}`} />;
  const { acc, address, coins, actor, txs, validator } = data.data;
  return (
    <section>
      <h1>Account {acc ? acc.id.toString() : ''}</h1>
      <Facts
        items={[
          ['Address', <code data-testid="account-address">{address}</code>],
          ['Name', <span data-testid="account-name">{acc?.name || '–'}</span>],
          ['Account ID', acc ? acc.id.toString() : 'none yet (no tx or transfer has touched it)'],
          ['Balances', coins.length ? coins.map((c) => `${c.amount}${c.denom}`).join(', ') : '0'],
          ['Keys', acc?.keyAddresses.length ? <span class="wrap">{acc.keyAddresses.join(', ')}</span> : '–'],
          ['Wallets', acc?.wallets.length ? acc.wallets.join(', ') : '–'],
          ['Sequence', acc ? acc.sequence.toString() : '0'],
          ...(acc?.module ? [['Module', acc.module] as [string, string]] : []),
          ['Validator', validator ? <a href={`#/validator/${validator.valKey}`}>{validator.moniker}</a> : '–'],
          ['Governance', actor ? `${actorStatusName(actor.status)}; roles ${actor.roles.join(', ') || '–'}; permissions ${actor.permissions?.whitelist.map(permissionName).join(', ') || '–'}` : '–'],
        ]}
      />
      <h2>Recent transactions sent</h2>
      <TxTable txs={txs} />
    </section>
  );
}

export function TxPage({ hash }: { hash: string }) {
  const tx = useLive((rpc) => txByHash(rpc, hash), [hash], { live: false });
  if (tx.error) return <ErrorNote text={tx.error} />;
  if (!tx.data) return tx.loading ? <Loading what="transaction" /> : <ErrorNote text={`No transaction ${hash}`} />;
  const t = tx.data;
  return (
    <section>
      <h1>Transaction</h1>
      <Facts
        items={[
          ['Hash', <code>{t.hash}</code>],
          ['Height', <a href={`#/block/${t.height}`}>{t.height}</a>],
          ['Result', t.code === 0 ? 'ok' : `code ${t.code}: ${t.log}`],
          ['Messages', t.messages.join(', ')],
          ['Memo', t.memo || '–'],
        ]}
      />
      <h2>Events</h2>
      {t.events.map((e, i) => (
        <details key={i}>
          <summary>{e.type}</summary>
          <Facts items={Object.entries(e.attributes)} />
        </details>
      ))}
    </section>
  );
}

export function BlockPage({ height }: { height: number }) {
  const data = useLive(async (rpc) => ({ block: await blockAt(rpc, height), txs: await searchTxs(rpc, `tx.height=${height}`, 100) }), [height], { live: false });
  if (data.error) return <ErrorNote text={data.error} />;
  if (!data.data) return <Loading what="block" />;
  const b = data.data.block;
  if (!b) return <ErrorNote text={`Block ${height} is not available`} />;
  return (
    <section>
      <h1>Block {b.height}</h1>
      <Facts
        items={[
          ['Hash', <code>{b.hash}</code>],
          ['Time', b.time],
          ['Proposer', <code>{b.proposer}</code>],
          ['Transactions', String(b.txs)],
        ]}
      />
      <TxTable txs={data.data.txs} />
    </section>
  );
}

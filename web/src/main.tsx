/**
 * The web UI: a validator ranking and network explorer. Hash routes keep it a set of static
 * files that any web server (or the node, at app.toml [ui]) can serve:
 *   #/                      validator ranking        #/validator/<kiravaloper…>  one validator
 *   #/governance            proposals, roles         #/network                   blocks, txs, properties
 *   #/account/<address|id>  one account              #/search/<text>             search
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { status } from './chain';
import { ChainContext, type ChainState } from './live';
import { AccountPage, BlockPage, SearchPage, TxPage } from './pages/Explore';
import { GovernancePage } from './pages/Governance';
import { NetworkPage } from './pages/Network';
import { ValidatorPage } from './pages/ValidatorDetail';
import { ValidatorsPage } from './pages/Validators';
import { Rpc, rpcEndpoint } from './rpc';

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function Route({ hash }: { hash: string }) {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  switch (parts[0]) {
    case '':
    case 'validators':
      return <ValidatorsPage />;
    case 'validator':
      return <ValidatorPage valoper={parts[1] ?? ''} />;
    case 'governance':
      return <GovernancePage />;
    case 'network':
      return <NetworkPage />;
    case 'search':
      return <SearchPage text={parts.slice(1).join('/')} />;
    case 'account':
      return <AccountPage refText={parts[1] ?? ''} />;
    case 'tx':
      return <TxPage hash={parts[1] ?? ''} />;
    case 'block':
      return <BlockPage height={Number(parts[1])} />;
    default:
      return <p class="error">No page here. <a href="#/">Back to the validator ranking</a></p>;
  }
}

const NAV: [string, string][] = [
  ['#/', 'Validators'],
  ['#/governance', 'Governance'],
  ['#/network', 'Network'],
];

function SearchBox() {
  const [text, setText] = useState('');
  return (
    <form
      class="search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) location.hash = `#/search/${encodeURIComponent(text.trim())}`;
      }}
    >
      <label class="visually-hidden" for="search">
        Search
      </label>
      <input id="search" type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder="tx hash, height, address, name, ID" />
      <button type="submit">Search</button>
    </form>
  );
}

function App({ rpc }: { rpc: Rpc }) {
  const hash = useHash();
  const [chain, setChain] = useState<ChainState>({ rpc, chainId: '' });

  useEffect(() => {
    let stopped = false;
    // First contact through `status` (HTTP), then blocks over the WebSocket; while the socket
    // is down, `status` is retried so the banner clears as soon as the node answers again.
    const poll = () =>
      status(rpc).then(
        (s) => !stopped && setChain((c) => ({ ...c, chainId: s.chainId, reachable: true, latest: c.latest && c.latest.height >= s.height ? c.latest : { height: s.height, time: s.time } })),
        () => !stopped && setChain((c) => ({ ...c, reachable: false })),
      );
    void poll();
    const offBlock = rpc.onNewBlock((header) => setChain((c) => ({ ...c, reachable: true, latest: header })));
    const offConn = rpc.onConnection((up) => {
      if (!up) setChain((c) => ({ ...c, reachable: false }));
      else void poll();
    });
    return () => {
      stopped = true;
      offBlock();
      offConn();
    };
  }, [rpc]);

  const current = hash === '' || hash === '#' ? '#/' : hash;
  return (
    <ChainContext.Provider value={chain}>
      <header class="top">
        <a class="brand" href="#/">
          sekai-ts
        </a>
        <nav aria-label="Pages">
          {NAV.map(([href, label]) => (
            <a href={href} aria-current={current === href || (href !== '#/' && current.startsWith(href)) ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <SearchBox />
        <p class="chain" data-testid="chain-status">
          <span class={`dot ${chain.reachable === false ? 'down' : chain.reachable ? 'up' : ''}`} aria-hidden="true" />
          {chain.chainId || '…'} · height <span data-testid="height">{chain.latest?.height ?? '…'}</span>
        </p>
      </header>
      {chain.reachable === false && (
        <p class="banner" role="alert" data-testid="unreachable">
          Cannot reach the node at {rpc.endpoint}. Retrying; the figures below may be out of date.
        </p>
      )}
      <main>
        <Route hash={current} />
      </main>
    </ChainContext.Provider>
  );
}

const root = document.getElementById('app')!;
// The static "Loading…" placeholder is for the moment before this script runs.
root.textContent = '';
render(<App rpc={new Rpc(rpcEndpoint())} />, root);

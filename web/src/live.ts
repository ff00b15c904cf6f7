/**
 * Shared state of the page: the RPC client, the latest block and whether the node answers.
 * `useLive` loads a page's data once and again after every new block, one load at a time
 * (a block that arrives during a load triggers one more load, never a queue of them).
 */
import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { Rpc, UnreachableError, type NewBlockHeader } from './rpc';

export interface ChainState {
  rpc: Rpc;
  chainId: string;
  latest?: NewBlockHeader;
  /** undefined until the first answer. */
  reachable?: boolean;
}

export const ChainContext = createContext<ChainState | undefined>(undefined);

export function useChain(): ChainState {
  const c = useContext(ChainContext);
  if (!c) throw new Error('useChain outside ChainContext');
  return c;
}

export interface Live<T> {
  data?: T;
  error?: string;
  loading: boolean;
}

export function useLive<T>(load: (rpc: Rpc) => Promise<T>, deps: unknown[], opts: { live?: boolean } = {}): Live<T> {
  const { rpc, latest } = useChain();
  const [state, setState] = useState<Live<T>>({ loading: true });
  const busy = useRef(false);
  const again = useRef(false);
  const generation = useRef(0);

  const run = (gen: number) => {
    if (busy.current) {
      again.current = true;
      return;
    }
    busy.current = true;
    load(rpc)
      .then(
        (data) => gen === generation.current && setState({ data, loading: false }),
        (err: unknown) =>
          gen === generation.current &&
          setState((s) => ({ data: err instanceof UnreachableError ? s.data : undefined, error: (err as Error).message, loading: false })),
      )
      .finally(() => {
        busy.current = false;
        if (again.current && gen === generation.current) {
          again.current = false;
          run(gen);
        }
      });
  };

  useEffect(() => {
    generation.current++;
    again.current = false;
    busy.current = false;
    setState({ loading: true });
    run(generation.current);
  }, deps);

  const height = latest?.height;
  useEffect(() => {
    if (opts.live !== false && height !== undefined) run(generation.current);
  }, [height]);

  return state;
}

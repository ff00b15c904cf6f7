/**
 * x/notarypay: Komodo-style notary pay. Notary eras, notarizations checkpointing the
 * chain's AppHash as the first tx of a block (ABCI++ proposal rules), pay split among
 * signers, emission or burn-funded pay, and Komodo's notary RPCs as queries.
 */
import type { AppModule } from '../../runtime/module';
import { notaryPayQueryCommand, notaryPayTxCommand } from './cli';
import { FundingMode } from '../../proto/gen/sekai/notarypay/v1/notarypay';
import { notaryPayGenesis } from './genesis';
import type { NotaryPayKeeper } from './keeper';
import { notaryPayMsgs } from './msgServer';
import { notaryProposalRules, notaryTxRules } from './proposal';
import { notaryPayQueries } from './queryServer';
import { MODULE_NAME, STORE_KEY } from './types/keys';

export function notaryPayModule(k: NotaryPayKeeper): AppModule {
  return {
    name: MODULE_NAME,
    storeKeys: [STORE_KEY],
    msgs: notaryPayMsgs(k),
    queries: notaryPayQueries(k),
    genesis: notaryPayGenesis(k),
    beginBlock: (ctx) => k.beginBlock(ctx),
    proposal: notaryProposalRules(k),
    txRules: notaryTxRules(k),
    invariants: [
      {
        name: 'total-pay',
        // Burn-funded pay can never exceed what was burned.
        check: (ctx) => {
          const p = k.params(ctx);
          if (p.funding !== FundingMode.FUNDING_MODE_BURN_FUNDED) return undefined;
          const total = BigInt(k.state(ctx).totalPay);
          const burned = k.burnBalance(ctx);
          return total > burned ? `total notary pay ${total} exceeds the ${burned} burned` : undefined;
        },
      },
    ],
    cli: { tx: notaryPayTxCommand, query: notaryPayQueryCommand },
  };
}

/**
 * x/notarypay: Komodo-style notary pay. Notary eras, notarizations checkpointing the
 * chain's AppHash as the first tx of a block (ABCI++ proposal rules), pay split among
 * signers, emission or burn-funded pay, and Komodo's notary RPCs as queries.
 */
import { defineModule, type DefinedModule } from '../../runtime/module';
import { FundingMode } from '../../proto/gen/sekai/notarypay/v1/notarypay';
import { notaryPayQueryCommand, notaryPayTxCommand } from './cli';
import { notaryPayGenesis } from './genesis';
import { NotaryPayKeeper, type NotaryPayKeeperDeps } from './keeper';
import { notaryPayMsgs } from './msgServer';
import { notaryProposalRules, notaryTxRules } from './proposal';
import { notaryProposals } from './proposals';
import { notaryPayQueries } from './queryServer';
import { MODULE_ACCOUNT, MODULE_NAME, STORE_KEY } from './types/keys';

export function notaryPayModule(deps: NotaryPayKeeperDeps): DefinedModule<NotaryPayKeeper> {
  const keeper = new NotaryPayKeeper(deps);
  return defineModule({
    name: MODULE_NAME,
    storeKeys: [STORE_KEY],
    keeper,
    msgs: notaryPayMsgs(keeper),
    queries: notaryPayQueries(keeper),
    genesis: notaryPayGenesis(keeper),
    beginBlock: (ctx) => keeper.beginBlock(ctx),
    blockProposal: notaryProposalRules(keeper),
    txRules: notaryTxRules(keeper),
    invariants: [
      {
        name: 'total-pay',
        // Burn-funded pay can never exceed what was burned.
        check: (ctx) => {
          const p = keeper.params(ctx);
          if (p.funding !== FundingMode.FUNDING_MODE_BURN_FUNDED) return undefined;
          const total = BigInt(keeper.state(ctx).totalPay);
          const burned = keeper.burnBalance(ctx);
          return total > burned ? `total notary pay ${total} exceeds the ${burned} burned` : undefined;
        },
      },
    ],
    proposals: notaryProposals(keeper),
    moduleAccounts: [MODULE_ACCOUNT],
    cli: { tx: notaryPayTxCommand, query: notaryPayQueryCommand },
  });
}

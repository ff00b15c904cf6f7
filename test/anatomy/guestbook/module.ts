/** The guestbook module: built from the guide in CONTRIBUTING.md, to show what a module takes. */
import { defineModule, type DefinedModule } from '../../../runtime/module';
import { guestbookQueryCommand, guestbookTxCommand } from './cli';
import { guestbookGenesis } from './genesis';
import { GuestbookKeeper, type GuestbookKeeperDeps } from './keeper';
import { guestbookMsgs } from './msgServer';
import { clearEntryProposal } from './proposals';
import { guestbookQueries } from './queryServer';
import { MODULE_NAME, STORE_KEY } from './types/keys';

export function guestbookModule(deps: GuestbookKeeperDeps): DefinedModule<GuestbookKeeper> {
  const keeper = new GuestbookKeeper(deps);
  return defineModule({
    name: MODULE_NAME,
    storeKeys: [STORE_KEY],
    keeper,
    msgs: guestbookMsgs(keeper),
    queries: guestbookQueries(keeper),
    genesis: guestbookGenesis(keeper),
    proposals: [clearEntryProposal(keeper)],
    moduleAccounts: [MODULE_NAME],
    cli: { tx: guestbookTxCommand, query: guestbookQueryCommand },
  });
}

/** Msg routes of x/multistaking: parse, check the signer, call one keeper method. */
import { msgRoute, type MsgRoute } from '../../runtime/module';
import type { Context } from '../../runtime/context';
import { ErrInvalidRequest } from '../../runtime/errors';
import {
  MsgClaimCommission,
  MsgClaimCommissionResponse,
  MsgClaimRewards,
  MsgClaimRewardsResponse,
  MsgDelegate,
  MsgDelegateResponse,
  MsgUndelegate,
  MsgUndelegateResponse,
} from '../../proto/gen/sekai/multistaking/v1/tx';
import { parseAmount, parseValAddress, type MultistakingKeeper } from './keeper';
import { ErrNotActive } from './types/errors';

export const TypeUrls = {
  delegate: '/sekai.multistaking.v1.MsgDelegate',
  undelegate: '/sekai.multistaking.v1.MsgUndelegate',
  claimRewards: '/sekai.multistaking.v1.MsgClaimRewards',
  claimCommission: '/sekai.multistaking.v1.MsgClaimCommission',
} as const;

function requireSender(sender: string): void {
  if (sender.trim() === '') throw ErrInvalidRequest.wrap('sender is empty');
}

/** `isActive(ctx)`: whether the module's store is part of the state at this height. */
export function multistakingMsgRoutes(keeper: MultistakingKeeper, isActive: (ctx: Context) => boolean): MsgRoute[] {
  const active = (ctx: Context): void => {
    if (!isActive(ctx)) throw ErrNotActive.wrap(`the "multistaking" upgrade has not run on this chain (height ${ctx.height})`);
  };
  return [
    msgRoute({
      typeUrl: TypeUrls.delegate,
      codec: MsgDelegate,
      responseTypeUrl: '/sekai.multistaking.v1.MsgDelegateResponse',
      responseCodec: MsgDelegateResponse,
      signers: (m) => [m.sender],
      validateBasic(m) {
        requireSender(m.sender);
        parseValAddress(m.valKey);
        parseAmount(m.amount);
      },
      handle(ctx, m) {
        active(ctx);
        const r = keeper.delegate(ctx, m.sender, parseValAddress(m.valKey), parseAmount(m.amount));
        return { shares: r.shares.toString(), pushedOut: r.pushedOut };
      },
    }),
    msgRoute({
      typeUrl: TypeUrls.undelegate,
      codec: MsgUndelegate,
      responseTypeUrl: '/sekai.multistaking.v1.MsgUndelegateResponse',
      responseCodec: MsgUndelegateResponse,
      signers: (m) => [m.sender],
      validateBasic(m) {
        requireSender(m.sender);
        parseValAddress(m.valKey);
        parseAmount(m.amount);
      },
      handle(ctx, m) {
        active(ctx);
        return { shares: keeper.undelegate(ctx, m.sender, parseValAddress(m.valKey), parseAmount(m.amount)).toString() };
      },
    }),
    msgRoute({
      typeUrl: TypeUrls.claimRewards,
      codec: MsgClaimRewards,
      responseTypeUrl: '/sekai.multistaking.v1.MsgClaimRewardsResponse',
      responseCodec: MsgClaimRewardsResponse,
      signers: (m) => [m.sender],
      validateBasic: (m) => requireSender(m.sender),
      handle(ctx, m) {
        active(ctx);
        return { amount: keeper.claimRewards(ctx, m.sender).toString() };
      },
    }),
    msgRoute({
      typeUrl: TypeUrls.claimCommission,
      codec: MsgClaimCommission,
      responseTypeUrl: '/sekai.multistaking.v1.MsgClaimCommissionResponse',
      responseCodec: MsgClaimCommissionResponse,
      // The withdraw account signs, never the validator key (Kroma).
      signers: (m) => [m.sender],
      validateBasic(m) {
        requireSender(m.sender);
        parseValAddress(m.valKey);
      },
      handle(ctx, m) {
        active(ctx);
        return { amount: keeper.claimCommission(ctx, m.sender, parseValAddress(m.valKey)).toString() };
      },
    }),
  ];
}

/** Msg routes of x/customstaking: parse, check the signer, call one keeper method. */
import { msgRoute, type MsgRoute } from '../../runtime/module';
import {
  MsgClaimValidator,
  MsgClaimValidatorResponse,
  MsgDeposit,
  MsgDepositResponse,
  MsgWithdraw,
  MsgWithdrawResponse,
  MsgFinalizeCommissionChange,
  MsgFinalizeCommissionChangeResponse,
  MsgInitCommissionChange,
  MsgInitCommissionChangeResponse,
  MsgUnjail,
  MsgUnjailResponse,
} from '../../proto/gen/sekai/staking/v1/tx';
import { addressToBech32 } from '../../crypto/address';
import { ErrInvalidRequest } from '../../runtime/errors';
import { normalizeMoniker, parseCommissionRate, parseDepositAmount, parseValAddress, parseWithdrawAccount, type StakingKeeper } from './keeper';
import { ErrInvalidConsPubKey } from './types/errors';

export const TypeUrls = {
  claimValidator: '/sekai.staking.v1.MsgClaimValidator',
  initCommissionChange: '/sekai.staking.v1.MsgInitCommissionChange',
  finalizeCommissionChange: '/sekai.staking.v1.MsgFinalizeCommissionChange',
  unjail: '/sekai.staking.v1.MsgUnjail',
  deposit: '/sekai.staking.v1.MsgDeposit',
  withdraw: '/sekai.staking.v1.MsgWithdraw',
} as const;

function requireSender(sender: string): void {
  if (sender.trim() === '') throw ErrInvalidRequest.wrap('sender is empty');
}

function checkValKey(valKey: string): void {
  if (valKey !== '') parseValAddress(valKey);
}

export function stakingMsgRoutes(keeper: StakingKeeper): MsgRoute[] {
  return [
    msgRoute({
      typeUrl: TypeUrls.claimValidator,
      codec: MsgClaimValidator,
      responseTypeUrl: '/sekai.staking.v1.MsgClaimValidatorResponse',
      responseCodec: MsgClaimValidatorResponse,
      signers: (m) => [m.sender],
      validateBasic(m) {
        requireSender(m.sender);
        normalizeMoniker(m.moniker);
        if (m.pubKey.length !== 32) throw ErrInvalidConsPubKey.wrap(`ed25519 key must be 32 bytes, got ${m.pubKey.length}`);
        if (m.commissionRate !== '') parseCommissionRate(m.commissionRate);
        if (m.deposit !== '') parseDepositAmount(m.deposit, true);
        if (m.withdrawAccount !== '') parseWithdrawAccount(m.withdrawAccount);
      },
      handle(ctx, m) {
        const v = keeper.claimValidator(ctx, {
          sender: m.sender,
          moniker: m.moniker,
          pubKey: m.pubKey,
          commissionRate: m.commissionRate,
          deposit: m.deposit === '' ? 0n : parseDepositAmount(m.deposit, true),
          withdrawAccount: m.withdrawAccount,
        });
        return { valKey: addressToBech32('validator', v.valKey) };
      },
    }),
    msgRoute({
      typeUrl: TypeUrls.initCommissionChange,
      codec: MsgInitCommissionChange,
      responseTypeUrl: '/sekai.staking.v1.MsgInitCommissionChangeResponse',
      responseCodec: MsgInitCommissionChangeResponse,
      signers: (m) => [m.sender],
      validateBasic(m) {
        requireSender(m.sender);
        checkValKey(m.valKey);
        parseCommissionRate(m.rate);
      },
      handle: (ctx, m) => ({ finalizeAfter: keeper.initCommissionChange(ctx, keeper.operatorValidator(ctx, m.sender, m.valKey), m.rate) }),
    }),
    msgRoute({
      typeUrl: TypeUrls.finalizeCommissionChange,
      codec: MsgFinalizeCommissionChange,
      responseTypeUrl: '/sekai.staking.v1.MsgFinalizeCommissionChangeResponse',
      responseCodec: MsgFinalizeCommissionChangeResponse,
      signers: (m) => [m.sender],
      validateBasic(m) {
        requireSender(m.sender);
        checkValKey(m.valKey);
      },
      handle: (ctx, m) => ({ commissionRate: keeper.finalizeCommissionChange(ctx, keeper.operatorValidator(ctx, m.sender, m.valKey)) }),
    }),
    msgRoute({
      typeUrl: TypeUrls.unjail,
      codec: MsgUnjail,
      responseTypeUrl: '/sekai.staking.v1.MsgUnjailResponse',
      responseCodec: MsgUnjailResponse,
      signers: (m) => [m.sender],
      validateBasic(m) {
        requireSender(m.sender);
        checkValKey(m.valKey);
      },
      handle(ctx, m) {
        keeper.unjail(ctx, keeper.operatorValidator(ctx, m.sender, m.valKey));
        return {};
      },
    }),
    msgRoute({
      typeUrl: TypeUrls.deposit,
      codec: MsgDeposit,
      responseTypeUrl: '/sekai.staking.v1.MsgDepositResponse',
      responseCodec: MsgDepositResponse,
      signers: (m) => [m.sender],
      validateBasic(m) {
        requireSender(m.sender);
        checkValKey(m.valKey);
        parseDepositAmount(m.amount);
        if (m.withdrawAccount !== '') parseWithdrawAccount(m.withdrawAccount);
      },
      handle(ctx, m) {
        const v = keeper.operatorValidator(ctx, m.sender, m.valKey);
        return { deposit: keeper.deposit(ctx, v, parseDepositAmount(m.amount), m.withdrawAccount).toString() };
      },
    }),
    msgRoute({
      typeUrl: TypeUrls.withdraw,
      codec: MsgWithdraw,
      responseTypeUrl: '/sekai.staking.v1.MsgWithdrawResponse',
      responseCodec: MsgWithdrawResponse,
      // The withdraw account signs, never the validator key (Kroma).
      signers: (m) => [m.sender],
      validateBasic(m) {
        requireSender(m.sender);
        if (m.valKey === '') throw ErrInvalidRequest.wrap('val_key is required: name the validator whose deposit is withdrawn');
        parseValAddress(m.valKey);
        parseDepositAmount(m.amount);
      },
      handle(ctx, m) {
        const v = keeper.mustValidator(ctx, parseValAddress(m.valKey));
        return { deposit: keeper.withdraw(ctx, m.sender, v, parseDepositAmount(m.amount)).toString() };
      },
    }),
  ];
}

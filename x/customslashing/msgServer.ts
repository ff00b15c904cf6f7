/** Msg routes of x/customslashing: only the validator's own operator account may send them. */
import { ErrInvalidRequest } from '../../runtime/errors';
import { msgRoute, type MsgRoute } from '../../runtime/module';
import { addressFromBech32 } from '../../crypto/address';
import {
  MsgActivate,
  MsgActivateResponse,
  MsgPause,
  MsgPauseResponse,
  MsgUnpause,
  MsgUnpauseResponse,
} from '../../proto/gen/sekai/slashing/v1/tx';
import type { SlashingKeeper } from './keeper';
import { ErrInvalidConsAddress } from './types/errors';

export const TypeUrls = {
  pause: '/sekai.slashing.v1.MsgPause',
  unpause: '/sekai.slashing.v1.MsgUnpause',
  activate: '/sekai.slashing.v1.MsgActivate',
} as const;

interface OperatorMsg {
  sender: string;
  valKey: string;
}

function validate(m: OperatorMsg): void {
  if (m.sender.trim() === '') throw ErrInvalidRequest.wrap('sender is empty');
  if (m.valKey !== '') {
    try {
      addressFromBech32('validator', m.valKey);
    } catch (err) {
      throw ErrInvalidConsAddress.wrap(`val_key ${JSON.stringify(m.valKey)} is not a kiravaloper address: ${(err as Error).message}`);
    }
  }
}

export function slashingMsgRoutes(keeper: SlashingKeeper): MsgRoute[] {
  return [
    msgRoute({
      typeUrl: TypeUrls.pause,
      codec: MsgPause,
      responseTypeUrl: '/sekai.slashing.v1.MsgPauseResponse',
      responseCodec: MsgPauseResponse,
      signers: (m) => [m.sender],
      validateBasic: validate,
      handle(ctx, m) {
        keeper.pause(ctx, m.sender, m.valKey);
        return {};
      },
    }),
    msgRoute({
      typeUrl: TypeUrls.unpause,
      codec: MsgUnpause,
      responseTypeUrl: '/sekai.slashing.v1.MsgUnpauseResponse',
      responseCodec: MsgUnpauseResponse,
      signers: (m) => [m.sender],
      validateBasic: validate,
      handle(ctx, m) {
        keeper.unpause(ctx, m.sender, m.valKey);
        return {};
      },
    }),
    msgRoute({
      typeUrl: TypeUrls.activate,
      codec: MsgActivate,
      responseTypeUrl: '/sekai.slashing.v1.MsgActivateResponse',
      responseCodec: MsgActivateResponse,
      signers: (m) => [m.sender],
      validateBasic: validate,
      handle(ctx, m) {
        keeper.activate(ctx, m.sender, m.valKey);
        return {};
      },
    }),
  ];
}

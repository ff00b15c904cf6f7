/** The JSON shape of signing info (sekai's field names, int64 as strings, kiravalcons address). */
import { addressToBech32 } from '../../crypto/address';
import type { ValidatorSigningInfo } from '../../proto/gen/sekai/slashing/v1/slashing';

export interface SigningInfoJson {
  address: string;
  start_height: string;
  mischance_confidence: string;
  mischance: string;
  last_present_block: string;
  missed_blocks_counter: string;
  produced_blocks_counter: string;
}

export function signingInfoToJson(i: ValidatorSigningInfo): SigningInfoJson {
  return {
    address: addressToBech32('consensus', i.address),
    start_height: i.startHeight.toString(),
    mischance_confidence: i.mischanceConfidence.toString(),
    mischance: i.mischance.toString(),
    last_present_block: i.lastPresentBlock.toString(),
    missed_blocks_counter: i.missedBlocksCounter.toString(),
    produced_blocks_counter: i.producedBlocksCounter.toString(),
  };
}

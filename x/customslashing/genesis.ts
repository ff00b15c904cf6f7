/**
 * Genesis of x/customslashing: `{ signing_infos: SigningInfoJson[] }`, counters of
 * validators that had been seen in a commit (others start at zero).
 */
import { ErrInvalidGenesis } from '../../runtime/errors';
import type { ModuleGenesis } from '../../runtime/module';
import { addressFromBech32 } from '../../crypto/address';
import { ValidatorSigningInfo } from '../../proto/gen/sekai/slashing/v1/slashing';
import type { SlashingKeeper } from './keeper';
import { signingInfoToJson, type SigningInfoJson } from './json';

function parse(json: unknown): ValidatorSigningInfo[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw ErrInvalidGenesis.wrap('customslashing: must be an object');
  const list = (json as { signing_infos?: unknown }).signing_infos ?? [];
  if (!Array.isArray(list)) throw ErrInvalidGenesis.wrap('customslashing.signing_infos: must be an array');
  const seen = new Set<string>();
  return list.map((raw: Partial<SigningInfoJson>, i) => {
    const where = `customslashing.signing_infos[${i}]`;
    let address: Uint8Array;
    try {
      address = addressFromBech32('consensus', String(raw.address));
    } catch {
      throw ErrInvalidGenesis.wrap(`${where}.address: ${JSON.stringify(raw.address)} is not a kiravalcons address`);
    }
    const hex = Buffer.from(address).toString('hex');
    if (seen.has(hex)) throw ErrInvalidGenesis.wrap(`${where}.address: appears twice`);
    seen.add(hex);
    const int = (name: keyof SigningInfoJson): bigint => {
      const v = raw[name] ?? '0';
      if (typeof v !== 'string' || !/^\d+$/.test(v)) throw ErrInvalidGenesis.wrap(`${where}.${name}: must be a non-negative integer string`);
      return BigInt(v);
    };
    return {
      address: Buffer.from(address),
      startHeight: int('start_height'),
      mischanceConfidence: int('mischance_confidence'),
      mischance: int('mischance'),
      lastPresentBlock: int('last_present_block'),
      missedBlocksCounter: int('missed_blocks_counter'),
      producedBlocksCounter: int('produced_blocks_counter'),
    };
  });
}

export function slashingGenesis(keeper: SlashingKeeper): ModuleGenesis {
  return {
    defaultGenesis: () => ({ signing_infos: [] }),
    validateGenesis: (json) => void parse(json),
    initGenesis(ctx, json) {
      for (const info of parse(json)) keeper.importSigningInfo(ctx, info);
    },
    exportGenesis: (ctx) => ({ signing_infos: keeper.storedSigningInfos(ctx).map(signingInfoToJson) }),
  };
}

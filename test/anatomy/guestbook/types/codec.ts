/**
 * The guestbook's messages, written as ts-proto writes generated code (a module built for
 * the chain would declare them in proto/sekai/guestbook/v1/*.proto and run `npm run proto`):
 *
 *   message MsgSign { string signer = 1; string text = 2; }          // MsgSignResponse {}
 *   message QueryEntryRequest { string account = 1; }                // QueryEntryResponse { string text = 1; }
 *   message ClearEntryProposal { string account = 1; }
 */
import { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';

/** A message of string fields 1, 2, … in the order of `fields`. */
function stringsMessage<T extends Record<string, string>>(fields: (keyof T & string)[]) {
  return {
    encode(m: T, w = new BinaryWriter()): BinaryWriter {
      fields.forEach((f, i) => {
        if (m[f] !== '') w.uint32(((i + 1) << 3) | 2).string(m[f]);
      });
      return w;
    },
    decode(input: Uint8Array): T {
      const r = new BinaryReader(input);
      const out = this.fromPartial({});
      while (r.pos < r.len) {
        const tag = r.uint32();
        const f = fields[(tag >>> 3) - 1];
        if (f !== undefined && (tag & 7) === 2) (out as Record<string, string>)[f] = r.string();
        else r.skip(tag & 7);
      }
      return out;
    },
    fromPartial(o: Partial<T>): T {
      return Object.fromEntries(fields.map((f) => [f, (o[f] as string | undefined) ?? ''])) as T;
    },
    toJSON: (m: T): unknown => ({ ...m }),
    fromJSON(o: unknown): T {
      return this.fromPartial(o as Partial<T>);
    },
  };
}

export type MsgSign = { signer: string; text: string };
export const MsgSign = stringsMessage<MsgSign>(['signer', 'text']);
export type MsgSignResponse = Record<string, never>;
export const MsgSignResponse = stringsMessage<MsgSignResponse>([]);
export type QueryEntryRequest = { account: string };
export const QueryEntryRequest = stringsMessage<QueryEntryRequest>(['account']);
export type QueryEntryResponse = { text: string };
export const QueryEntryResponse = stringsMessage<QueryEntryResponse>(['text']);
export type ClearEntryProposal = { account: string };
export const ClearEntryProposal = stringsMessage<ClearEntryProposal>(['account']);

export const protobufPackage = 'sekai.guestbook.v1';
export const TypeUrls = {
  sign: `/${protobufPackage}.MsgSign`,
  signResponse: `/${protobufPackage}.MsgSignResponse`,
  clearEntry: `/${protobufPackage}.ClearEntryProposal`,
  queryEntry: `/${protobufPackage}.Query/Entry`,
} as const;

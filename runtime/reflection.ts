/**
 * The application reflection services, answered from what the module manager registered:
 *  - `cosmos.base.reflection.v2alpha1.ReflectionService`: the sign modes the ante verifies,
 *    the chain id, the interfaces packed as `Any` with their implementations, the bech32
 *    account prefix, every query service with its ABCI query paths, and the tx type with
 *    every message a tx may carry;
 *  - `cosmos.base.reflection.v1beta1.ReflectionService`: ListAllInterfaces and
 *    ListImplementations (the implementations' type URLs, as the SDK's interface registry gives them).
 * The descriptors are built once, when the app is built, from sorted lists, so every node of
 * a chain answers the same bytes; only the chain id is read per query.
 */
import {
  ListAllInterfacesRequest,
  ListAllInterfacesResponse,
  ListImplementationsRequest,
  ListImplementationsResponse,
} from 'cosmjs-types/cosmos/base/reflection/v1beta1/reflection';
import { SignMode, signModeToJSON } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { Bech32Prefix } from '../crypto/address';
import { sortedEntries, sortedKeys } from '../types/sorted';
import {
  ReflectionServiceDefinition,
  type AuthnDescriptor,
  type CodecDescriptor,
  type InterfaceDescriptor,
  type QueryServicesDescriptor,
  type TxDescriptor,
} from '../proto/gen/cosmos/base/reflection/v2alpha1/reflection';
import { serviceQueries } from './descriptors';
import { ErrInvalidRequest } from './errors';
import type { ModuleManager } from './manager';
import { queryRoute, type QueryRoute } from './module';
import { SIMULATE_PATH } from './query';

/** The interface names the Cosmos SDK registers (sdk.Msg, cryptotypes.PubKey, AccountI). */
export const InterfaceNames = {
  msg: 'cosmos.base.v1beta1.Msg',
  pubKey: 'cosmos.crypto.PubKey',
  account: 'cosmos.auth.v1beta1.AccountI',
  /** The content of a governance proposal (the types modules declare as `proposals`). */
  proposalContent: 'sekai.gov.v1.Content',
} as const;

export const V1BETA1_PATHS = {
  listAllInterfaces: '/cosmos.base.reflection.v1beta1.ReflectionService/ListAllInterfaces',
  listImplementations: '/cosmos.base.reflection.v1beta1.ReflectionService/ListImplementations',
} as const;

export interface ReflectionConfig {
  modules: ModuleManager;
  /** Whether the ante verifies SIGN_MODE_LEGACY_AMINO_JSON (it always verifies SIGN_MODE_DIRECT). */
  aminoJson: boolean;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function implementers(typeUrls: readonly string[]) {
  return sortedKeys(new Set(typeUrls)).map((typeUrl) => ({ fullname: typeUrl.slice(1), typeUrl }));
}

/** The interfaces, sorted by name, each with the messages holding it as Any and its implementations. */
export function codecDescriptor(modules: ModuleManager): CodecDescriptor {
  const msgs = modules.modules.flatMap((m) => (m.msgs ?? []).map((r) => r.typeUrl));
  const contents = modules.modules.flatMap((m) => (m.proposals ?? []).map((p) => p.typeUrl));
  const accepting = (list: [string, string[]][]) => list.map(([fullname, fieldDescriptorNames]) => ({ fullname, fieldDescriptorNames }));
  const interfaces: InterfaceDescriptor[] = [
    {
      fullname: InterfaceNames.account,
      interfaceAcceptingMessages: accepting([
        ['cosmos.auth.v1beta1.QueryAccountResponse', ['account']],
        ['cosmos.auth.v1beta1.QueryAccountsResponse', ['accounts']],
      ]),
      interfaceImplementers: implementers(['/cosmos.auth.v1beta1.BaseAccount', '/cosmos.auth.v1beta1.ModuleAccount']),
    },
    {
      fullname: InterfaceNames.msg,
      interfaceAcceptingMessages: accepting([['cosmos.tx.v1beta1.TxBody', ['messages']]]),
      interfaceImplementers: implementers(msgs),
    },
    {
      // Txs are signed with secp256k1 keys; ed25519 keys are the validators' consensus keys.
      fullname: InterfaceNames.pubKey,
      interfaceAcceptingMessages: accepting([
        ['cosmos.auth.v1beta1.BaseAccount', ['pub_key']],
        ['cosmos.tx.v1beta1.SignerInfo', ['public_key']],
      ]),
      interfaceImplementers: implementers(['/cosmos.crypto.ed25519.PubKey', '/cosmos.crypto.secp256k1.PubKey']),
    },
  ];
  if (contents.length > 0) {
    interfaces.push({
      fullname: InterfaceNames.proposalContent,
      interfaceAcceptingMessages: accepting([
        ['sekai.gov.v1.MsgSubmitProposal', ['content']],
        ['sekai.gov.v1.Proposal', ['content']],
      ]),
      interfaceImplementers: implementers(contents),
    });
  }
  return { interfaces: interfaces.sort((a, b) => byName(a.fullname, b.fullname)) };
}

/** Every service the app answers over ABCI Query, by name, each method with its query path. */
export function queryServicesDescriptor(modules: ModuleManager, extraPaths: readonly string[]): QueryServicesDescriptor {
  const services = new Map<string, { isModule: boolean; methods: Set<string> }>();
  const add = (path: string, isModule: boolean) => {
    const cut = path.lastIndexOf('/');
    const fullname = path.slice(1, cut);
    const s = services.get(fullname) ?? { isModule, methods: new Set<string>() };
    s.isModule ||= isModule;
    s.methods.add(path.slice(cut + 1));
    services.set(fullname, s);
  };
  for (const m of modules.modules) for (const q of m.queries ?? []) add(q.path, true);
  for (const p of extraPaths) add(p, false);
  return {
    queryServices: sortedEntries(services).map(([fullname, s]) => {
      const methods = sortedKeys(s.methods).map((name) => ({ name, fullQueryPath: `/${fullname}/${name}` }));
      return { fullname, isModule: s.isModule, methods };
    }),
  };
}

export function authnDescriptor(aminoJson: boolean): AuthnDescriptor {
  const modes = aminoJson ? [SignMode.SIGN_MODE_DIRECT, SignMode.SIGN_MODE_LEGACY_AMINO_JSON] : [SignMode.SIGN_MODE_DIRECT];
  // No query gives sign-mode specific metadata (the SDK leaves the method empty too).
  return { signModes: modes.map((m) => ({ name: signModeToJSON(m), number: m, authnInfoProviderMethodFullname: '' })) };
}

export function txDescriptor(modules: ModuleManager): TxDescriptor {
  const msgs = modules.modules.flatMap((m) => (m.msgs ?? []).map((r) => r.typeUrl)).sort(byName);
  return { fullname: 'cosmos.tx.v1beta1.Tx', msgs: msgs.map((msgTypeUrl) => ({ msgTypeUrl })) };
}

/** The query routes of both reflection services. */
export function reflectionQueries(cfg: ReflectionConfig): QueryRoute[] {
  // eslint-disable-next-line no-restricted-syntax -- the paths are sorted where they are listed
  const v2Paths = Object.values(ReflectionServiceDefinition.methods).map((m) => `/${ReflectionServiceDefinition.fullName}/${m.name}`);
  const authn = authnDescriptor(cfg.aminoJson);
  const codec = codecDescriptor(cfg.modules);
  const tx = txDescriptor(cfg.modules);
  const queries = queryServicesDescriptor(cfg.modules, [SIMULATE_PATH, ...v2Paths, V1BETA1_PATHS.listAllInterfaces, V1BETA1_PATHS.listImplementations]);
  return [
    ...serviceQueries(ReflectionServiceDefinition, {
      getAuthnDescriptor: () => ({ authn }),
      getChainDescriptor: (ctx) => ({ chain: { id: ctx.chainId } }),
      getCodecDescriptor: () => ({ codec }),
      getConfigurationDescriptor: () => ({ config: { bech32AccountAddressPrefix: Bech32Prefix.account } }),
      getQueryServicesDescriptor: () => ({ queries }),
      getTxDescriptor: () => ({ tx }),
    }),
    queryRoute({
      path: V1BETA1_PATHS.listAllInterfaces,
      requestCodec: ListAllInterfacesRequest,
      responseCodec: ListAllInterfacesResponse,
      handle: () => ({ interfaceNames: codec.interfaces.map((i) => i.fullname) }),
    }),
    queryRoute({
      path: V1BETA1_PATHS.listImplementations,
      requestCodec: ListImplementationsRequest,
      responseCodec: ListImplementationsResponse,
      handle: (_ctx, req) => {
        if (req.interfaceName === '') throw ErrInvalidRequest.wrap('interface_name is empty: give one of ListAllInterfaces');
        const found = codec.interfaces.find((i) => i.fullname === req.interfaceName);
        return { implementationMessageNames: (found?.interfaceImplementers ?? []).map((i) => i.typeUrl) };
      },
    }),
  ];
}

/**
 * Names from the generated descriptors instead of hand-typed strings: a message's type URL
 * is `/` + its full name (`MsgSend.$type`, emitted by ts-proto with
 * outputTypeAnnotations=static-only), and a query route is `/<service full name>/<Method>`
 * from the service definition (outputServices=generic-definitions).
 */
import type { QueryContext } from './context';
import { queryRoute, type MessageCodec, type QueryRoute } from './module';

/** A generated message's static face: its codec and full name. */
export interface MessageType<T = unknown> extends MessageCodec<T> {
  readonly $type: string;
}

/** The type URL of a generated message: `/sekai.accountid.v1.MsgAddKey`. */
export function typeUrl(type: { readonly $type: string }): string {
  return `/${type.$type}`;
}

interface MethodDefinition<Q, S> {
  readonly name: string;
  readonly requestType: MessageCodec<Q>;
  readonly responseType: MessageCodec<S>;
}

interface ServiceDefinition {
  readonly fullName: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each method has its own request and response types
  readonly methods: Readonly<Record<string, MethodDefinition<any, any>>>;
}

type Request<M> = M extends MethodDefinition<infer Q, unknown> ? Q : never;
type Response<M> = M extends MethodDefinition<unknown, infer S> ? S : never;

/** One handler per method of a service, typed by the method's request and response. */
export type ServiceHandlers<D extends ServiceDefinition> = {
  [K in keyof D['methods']]: (ctx: QueryContext, req: Request<D['methods'][K]>) => Response<D['methods'][K]>;
};

/** The path of a method: `/sekai.accountid.v1.Query/Accounts`. */
export function methodPath(def: ServiceDefinition, method: keyof ServiceDefinition['methods']): string {
  const m = def.methods[method];
  if (!m) throw new Error(`service ${def.fullName} has no method ${String(method)}`);
  return `/${def.fullName}/${m.name}`;
}

/** Query routes for every method of a generated service; a missing handler is a type error. */
export function serviceQueries<D extends ServiceDefinition>(def: D, handlers: ServiceHandlers<D>): QueryRoute[] {
  // Sorted right away: the routes' order never depends on how the handler object was built.
  // eslint-disable-next-line no-restricted-syntax
  return Object.keys(handlers)
    .sort()
    .map((key) => {
      const m = def.methods[key];
      return queryRoute({ path: methodPath(def, key), requestCodec: m.requestType, responseCodec: m.responseType, handle: handlers[key as keyof D['methods']] });
    });
}

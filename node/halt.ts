/**
 * app.toml `halt-height` / `halt-time` (the Cosmos SDK's settings, for coordinated upgrades):
 * once the node has committed the halt height, or a block whose time reached the halt time,
 * `onHalt` is called with a message and the node shuts down in order (as the SDK stops itself
 * after that Commit). A later block is refused before it executes anything ("halt per
 * configuration", the SDK's FinalizeBlock check), so the state stays at the halt height even
 * if the engine or CometBFT asks for one more block before the shutdown completes.
 */
import type { AbciApplication } from '../abci/application';

export interface HaltRule {
  /** Stop after committing this height; 0 = never. */
  height: number;
  /** Stop after committing the first block whose time (Unix seconds) is at or past this; 0 = never. */
  timeSeconds: number;
}

export class HaltError extends Error {}

/** `app` with the halt rule applied to FinalizeBlock and Commit; the app itself when the rule is off. */
export function haltGuard<A extends AbciApplication>(app: A, rule: HaltRule, onHalt: (message: string) => void): A {
  if (rule.height <= 0 && rule.timeSeconds <= 0) return app;
  let finalizing: { height: bigint; seconds: bigint } | undefined;
  let halted = false;
  const describe = () => `halt per configuration height ${rule.height} time ${rule.timeSeconds}`;
  return new Proxy(app, {
    get(target, prop, receiver) {
      if (prop === 'finalizeBlock') {
        return (req: Parameters<A['finalizeBlock']>[0]) => {
          const past = (rule.height > 0 && req.height > BigInt(rule.height)) || halted;
          if (past) throw new HaltError(`${describe()}: block ${req.height} is not executed`);
          finalizing = { height: req.height, seconds: req.time?.seconds ?? 0n };
          return target.finalizeBlock(req);
        };
      }
      if (prop === 'commit') {
        return async () => {
          const res = await target.commit();
          const block = finalizing;
          finalizing = undefined;
          if (block && !halted) {
            const byHeight = rule.height > 0 && block.height >= BigInt(rule.height);
            const byTime = rule.timeSeconds > 0 && block.seconds >= BigInt(rule.timeSeconds);
            if (byHeight || byTime) {
              halted = true;
              onHalt(
                byHeight
                  ? `halt-height ${rule.height} reached: committed height ${block.height}, stopping the node`
                  : `halt-time ${rule.timeSeconds} reached: committed height ${block.height} (block time ${block.seconds}), stopping the node`,
              );
            }
          }
          return res;
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

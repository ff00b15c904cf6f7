/**
 * Running one tx against a block state, in every mode (CheckTx, ReCheckTx, simulation,
 * FinalizeBlock): the pipeline stage BaseApp calls for each tx.
 */
import type { ExecTxResult, Event } from 'cosmjs-types/tendermint/abci/types';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { checkTxSize, runAnte, type AnteDeps } from './ante';
import { Context, type BlockInfo, type ExecMode, type Timestamp } from './context';
import { isCoded } from './errors';
import { AttributeKeys, EventManager, EventTypes, makeEvent, markIndexed } from './events';
import type { GasMeter } from './gas';
import type { ModuleManager } from './manager';
import type { MultiStoreBranch } from './multistore';
import { decodeTx, type DecodedTx } from './tx';
import { encodeTxMsgData } from './wire';

/** What running a tx needs from the app. */
export interface TxRunner {
  readonly modules: ModuleManager;
  readonly anteDeps: AnteDeps;
  /** The node's local clock, for CheckTx's mempool rules only (never block execution). */
  readonly clock?: () => Timestamp;
}

export interface BlockState {
  branch: MultiStoreBranch;
  block: BlockInfo;
}

/** The outcome of running one tx, before it becomes an ABCI result. */
export interface TxOutcome {
  code: number;
  codespace: string;
  log: string;
  gasWanted: number;
  gasUsed: number;
  events: Event[];
  /** Encoded TxMsgData on success. */
  data: Uint8Array;
  msgResponses: Any[];
}

/**
 * Runs one tx: size, decode, ante on its own branch (kept even when messages fail, so
 * the fee and sequence are taken), then — outside CheckTx — all messages on a second
 * branch that is kept only if every message succeeds. Registered errors become the
 * outcome; other exceptions propagate. `txIndex` is the tx's position in its block
 * (FinalizeBlock only).
 */
export function runTx(app: TxRunner, mode: ExecMode, state: BlockState, txBytes: Uint8Array, txIndex?: number): TxOutcome {
  const fail = (err: unknown, gasWanted: number, gasUsed: number, events: Event[]): TxOutcome => {
    if (!isCoded(err)) throw err;
    return {
      code: err.code,
      codespace: err.codespace,
      log: err.message,
      gasWanted,
      gasUsed,
      events,
      data: new Uint8Array(),
      msgResponses: [],
    };
  };
  let tx: DecodedTx;
  try {
    checkTxSize(txBytes, app.anteDeps.params);
    tx = decodeTx(txBytes, app.modules);
    app.modules.validateTx(tx);
  } catch (err) {
    return fail(err, 0, 0, []);
  }

  const anteBranch = state.branch.branch();
  const anteEvents = new EventManager();
  const checking = mode === 'check' || mode === 'recheck';
  const localTime = checking ? app.clock?.() : undefined;
  const anteCtx = new Context({ mode, block: state.block, stores: anteBranch, events: anteEvents, txBytes, txIndex, localTime });
  if (checking) {
    try {
      app.modules.mempoolCheck(anteCtx, tx);
    } catch (err) {
      return fail(err, 0, 0, []);
    }
  }
  let ante;
  const progress: { gasMeter?: GasMeter } = {};
  try {
    ante = runAnte(anteCtx, tx, app.anteDeps, progress);
  } catch (err) {
    const wanted = Number(tx.authInfo.fee?.gasLimit ?? 0n);
    return fail(err, Number.isSafeInteger(wanted) ? wanted : 0, progress.gasMeter?.consumed() ?? 0, []);
  }
  const gasWanted = ante.gasWanted;
  const txEvents = anteEvents.events();
  if (checking) {
    // Before the ante's writes reach the check state: a refused tx takes no sequence.
    try {
      app.modules.beforeMsgs(anteCtx.withGasMeter(ante.gasMeter), tx);
    } catch (err) {
      return fail(err, gasWanted, ante.gasMeter.consumed(), []);
    }
  }
  anteBranch.write();
  if (checking) {
    return { code: 0, codespace: '', log: '', gasWanted, gasUsed: ante.gasMeter.consumed(), events: txEvents, data: new Uint8Array(), msgResponses: [] };
  }

  const msgBranch = state.branch.branch();
  const msgCtx = anteCtx.withStores(msgBranch).withGasMeter(ante.gasMeter);
  const msgResponses: Any[] = [];
  const msgEvents: Event[] = [];
  try {
    app.modules.beforeMsgs(msgCtx, tx);
    tx.msgs.forEach((m, i) => {
      const em = new EventManager();
      const res = m.route.handle(msgCtx.withEvents(em), m.value);
      msgResponses.push({ typeUrl: m.route.responseTypeUrl, value: m.route.encodeResponse(res) });
      const sender = ante.addressOf.get(m.route.signers(m.value)[0]) ?? '';
      const index: [string, string] = [AttributeKeys.msgIndex, String(i)];
      msgEvents.push(
        makeEvent(EventTypes.message, [
          [AttributeKeys.action, m.typeUrl],
          [AttributeKeys.sender, sender],
          [AttributeKeys.module, app.modules.moduleOfMsg(m.typeUrl) ?? ''],
          index,
        ]),
      );
      for (const e of em.events()) {
        msgEvents.push({ type: e.type, attributes: [...e.attributes, { key: index[0], value: index[1], index: true }] });
      }
    });
  } catch (err) {
    // The message branch is dropped: no trace but the fee and sequence (already written).
    const out = fail(err, gasWanted, ante.gasMeter.consumed(), txEvents);
    return { ...out, log: `failed to execute message; ${out.log}` };
  }
  msgBranch.write();
  const data = encodeTxMsgData(msgResponses);
  return {
    code: 0,
    codespace: '',
    log: '',
    gasWanted,
    gasUsed: ante.gasMeter.consumed(),
    events: [...txEvents, ...msgEvents],
    data,
    msgResponses,
  };
}

/** A tx outcome as FinalizeBlock reports it. */
export function toExecTxResult(o: TxOutcome, indexEvents?: ReadonlySet<string>): ExecTxResult {
  return {
    code: o.code,
    data: o.data,
    log: o.log,
    info: '',
    gasWanted: BigInt(o.gasWanted),
    gasUsed: BigInt(o.gasUsed),
    events: markIndexed(o.events, indexEvents),
    codespace: o.codespace,
  };
}

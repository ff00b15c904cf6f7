/**
 * ICS23 proofs in the IAVL form that `@confio/ics23`'s `iavlSpec` (and the Go verifier) accept:
 *   leaf  prefix = zz(0) || zz(1) || zz(leaf.version)
 *   inner prefix = zz(height) || zz(size) || zz(version) || 0x20 [|| leftHash || 0x20 when the
 *                  proven key is in the right subtree], suffix = 0x20 || rightHash or empty.
 * Hashing the leaf and applying the inner ops bottom-up reproduces node.ts's hashes exactly.
 */
import { CommitmentProof, ExistenceProof, HashOp, InnerOp, LengthOp } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { ErrEmptyTreeProof } from './errors';
import type { NodeSource } from './nodeDb';
import { Node, putZigzag } from './node';

function header(height: number, size: number, version: number): { buf: Uint8Array; pos: number } {
  const buf = new Uint8Array(30 + 1 + 32 + 1);
  let pos = putZigzag(buf, 0, height);
  pos = putZigzag(buf, pos, size);
  pos = putZigzag(buf, pos, version);
  return { buf, pos };
}

/** The existence proof of `key` in the tree under `root`, or undefined when the key is absent. */
export function existenceProof(src: NodeSource, root: Node | undefined, key: Uint8Array): ExistenceProof | undefined {
  if (!root) return undefined;
  const path: Array<{ node: Node; wentLeft: boolean }> = [];
  let n = root;
  while (!n.isLeaf) {
    const wentLeft = Buffer.compare(key, n.key) < 0;
    path.push({ node: n, wentLeft });
    n = wentLeft ? src.left(n) : src.right(n);
  }
  if (Buffer.compare(n.key, key) !== 0) return undefined;

  const leafPrefix = header(0, 1, n.version);
  const ops: InnerOp[] = [];
  for (let i = path.length - 1; i >= 0; i--) {
    const { node, wentLeft } = path[i];
    const h = header(node.height, node.size, node.version);
    let pos = h.pos;
    h.buf[pos++] = 32;
    let suffix: Uint8Array;
    if (wentLeft) {
      suffix = new Uint8Array(33);
      suffix[0] = 32;
      suffix.set(src.rightHash(node), 1);
    } else {
      h.buf.set(src.leftHash(node), pos);
      pos += 32;
      h.buf[pos++] = 32;
      suffix = new Uint8Array(0);
    }
    ops.push({ hash: HashOp.SHA256, prefix: h.buf.slice(0, pos), suffix });
  }
  return {
    key: n.key,
    value: n.value as Uint8Array,
    leaf: {
      hash: HashOp.SHA256,
      prehashKey: HashOp.NO_HASH,
      prehashValue: HashOp.SHA256,
      length: LengthOp.VAR_PROTO,
      prefix: leafPrefix.buf.slice(0, leafPrefix.pos),
    },
    path: ops,
  };
}

/**
 * {value, proof} of `key` in version `version` (whose root is `root`): an existence proof when
 * the key is present, else a non-existence proof from its neighbours' existence proofs.
 */
export function commitmentProof(
  src: NodeSource,
  root: Node | undefined,
  version: number,
  key: Uint8Array,
): { value?: Uint8Array; proof: CommitmentProof } {
  const exist = existenceProof(src, root, key);
  if (exist) return { value: exist.value, proof: { exist, nonexist: undefined, batch: undefined, compressed: undefined } };
  if (!root) throw ErrEmptyTreeProof.wrap(`version ${version} is empty`);
  const below = src.iterate(root, undefined, key, true).next();
  const above = src.iterate(root, key, undefined, false).next();
  const left = below.done ? undefined : existenceProof(src, root, below.value[0]);
  const right = above.done ? undefined : existenceProof(src, root, above.value[0]);
  return { value: undefined, proof: { exist: undefined, nonexist: { key, left, right }, batch: undefined, compressed: undefined } };
}

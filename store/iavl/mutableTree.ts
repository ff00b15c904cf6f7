/**
 * The working (uncommitted) tree and its edits. Editing follows IAVL's mutable tree exactly
 * (mutable_tree.go: recursive set, remove, AVL balance and rotations, every node on a changed
 * path rewritten at the working version), because the node versions, heights and sizes are all
 * part of the hash. Saved nodes are never changed: an edit copies them and records them as
 * orphans of the working version, which pruning later deletes.
 */
import { cmp } from './keys';
import type { NodeSource, RecordWriter } from './nodeDb';
import { ChildRef, Node, hashInner, hashLeaf } from './node';

export class MutableTree {
  /** Working root: the last committed root until the first edit. */
  root: Node | undefined;
  /** Saved nodes replaced by the working tree: alive in the last version, gone from the next. */
  orphans: Node[] = [];
  /** The version the edits are made at (the working version). */
  private version = 0;
  /** Out-parameter of recursiveSet: the last set replaced an existing leaf. */
  private setUpdated = false;

  constructor(
    private readonly src: NodeSource,
    root: Node | undefined,
  ) {
    this.root = root;
  }

  /** Sets `key` at `version`; `key` and `value` are owned by the tree from now on. */
  set(key: Uint8Array, value: Uint8Array, version: number): void {
    this.version = version;
    if (!this.root) {
      this.root = Node.leaf(key, value, version);
      return;
    }
    this.root = this.recursiveSet(this.root, key, value, version, undefined);
  }

  /** Removes `key` at `version`; false (and nothing changed) when it is absent. */
  remove(key: Uint8Array, version: number): boolean {
    if (!this.root) return false;
    this.version = version;
    const r = this.recursiveRemove(this.root, key);
    if (!r.removed) return false;
    this.root = r.node;
    return true;
  }

  /**
   * Seals the working tree as `version`: every unsaved node gets its node key, hash and
   * children's refs, and goes to `out` (and `records`, when given) in post-order. Returns the
   * root hash, or undefined for an empty tree.
   */
  seal(version: number, out: Node[], records: RecordWriter | undefined): Uint8Array | undefined {
    if (!this.root) return undefined;
    return this.sealNode(this.root, version, out, { seq: 0 }, records);
  }

  /** A node of the working version to edit: an unsaved node is edited in place, a saved one copied and orphaned. */
  private cloneInner(n: Node): Node {
    if (!n.saved) {
      n.hash = undefined;
      return n;
    }
    this.orphans.push(n);
    const c = new Node(n.key, undefined, this.version, n.height, n.size);
    c.left = n.left;
    c.leftRef = n.leftRef;
    c.right = n.right;
    c.rightRef = n.rightRef;
    return c;
  }

  private orphan(n: Node): void {
    if (n.saved) this.orphans.push(n);
  }

  /**
   * Sets `key` below `node` and returns the new subtree. Whether an existing leaf was updated
   * (no height or size changes above it) is left in `setUpdated` instead of a result object per
   * level: sets run for every write of every block. `low` is the smallest key of the subtree
   * when an ancestor tells it (see setAtSavedLeaf), undefined on the leftmost path.
   */
  private recursiveSet(node: Node, key: Uint8Array, value: Uint8Array, version: number, low: Uint8Array | undefined): Node {
    if (node.isLeaf) {
      const c = cmp(key, node.key);
      if (c === 0) {
        this.orphan(node);
        this.setUpdated = true;
        return Node.leaf(key, value, version);
      }
      const inner = new Node(c < 0 ? node.key : key, undefined, version, 1, 2);
      const fresh = Node.leaf(key, value, version);
      inner.left = c < 0 ? fresh : node;
      inner.right = c < 0 ? node : fresh;
      this.setUpdated = false;
      return inner;
    }
    const n = this.cloneInner(node);
    if (cmp(key, n.key) < 0) {
      const ref = n.left === undefined ? n.leftRef : undefined;
      n.left =
        ref !== undefined && ref.height === 0 && low !== undefined
          ? this.setAtSavedLeaf(ref, low, key, value, version)
          : this.recursiveSet(this.src.left(n), key, value, version, low);
      n.leftRef = undefined;
    } else {
      const ref = n.right === undefined ? n.rightRef : undefined;
      n.right =
        ref !== undefined && ref.height === 0
          ? this.setAtSavedLeaf(ref, n.key, key, value, version)
          : this.recursiveSet(this.src.right(n), key, value, version, n.key);
      n.rightRef = undefined;
    }
    if (this.setUpdated) return n;
    this.calcHeightAndSize(n);
    return this.balance(n);
  }

  /**
   * `recursiveSet` at a saved leaf whose key is known without reading it: the smallest key
   * of a subtree is the key of the nearest ancestor whose right subtree it lies in (an
   * inner node's key is the smallest key on its right). Most writes of a block replace or
   * sit beside leaves no read has loaded, so this saves a LevelDB read per write; the
   * resulting nodes are exactly those of the loading path.
   */
  private setAtSavedLeaf(ref: ChildRef, leafKey: Uint8Array, key: Uint8Array, value: Uint8Array, version: number): Node {
    const c = cmp(key, leafKey);
    if (c < 0) return this.recursiveSet(this.src.load(ref), key, value, version, undefined); // cannot happen in a well-formed tree
    if (c === 0) {
      // Orphan lists and the cache need only the node key of the replaced leaf.
      const old = new Node(leafKey, undefined, ref.version, 0, 1);
      old.seq = ref.seq;
      this.orphans.push(old);
      this.setUpdated = true;
      return Node.leaf(key, value, version);
    }
    const inner = new Node(key, undefined, version, 1, 2);
    inner.leftRef = ref;
    inner.right = Node.leaf(key, value, version);
    this.setUpdated = false;
    return inner;
  }

  /**
   * Removes `key` below `node`. Returns the replacement subtree (undefined when the node itself
   * was the removed leaf) and, when the leftmost key of the subtree changed, the new one.
   */
  private recursiveRemove(node: Node, key: Uint8Array): { node: Node | undefined; newKey?: Uint8Array; removed: boolean } {
    if (node.isLeaf) {
      if (cmp(key, node.key) === 0) {
        this.orphan(node);
        return { node: undefined, removed: true };
      }
      return { node, removed: false };
    }
    if (cmp(key, node.key) < 0) {
      const r = this.recursiveRemove(this.src.left(node), key);
      if (!r.removed) return { node, removed: false };
      if (!r.node) {
        // The left child was the removed leaf: the right subtree takes this node's place unchanged.
        const right = this.src.right(node);
        this.orphan(node);
        return { node: right, newKey: node.key, removed: true };
      }
      const n = this.cloneInner(node);
      n.left = r.node;
      n.leftRef = undefined;
      this.calcHeightAndSize(n);
      return { node: this.balance(n), newKey: r.newKey, removed: true };
    }
    const r = this.recursiveRemove(this.src.right(node), key);
    if (!r.removed) return { node, removed: false };
    if (!r.node) {
      const left = this.src.left(node);
      this.orphan(node);
      return { node: left, removed: true };
    }
    const n = this.cloneInner(node);
    n.right = r.node;
    n.rightRef = undefined;
    if (r.newKey) n.key = r.newKey;
    this.calcHeightAndSize(n);
    return { node: this.balance(n), removed: true };
  }

  /** From in-memory children or the parent's child records: no sibling is loaded. */
  private calcHeightAndSize(n: Node): void {
    const l = n.left ?? (n.leftRef as ChildRef);
    const r = n.right ?? (n.rightRef as ChildRef);
    n.height = Math.max(l.height, r.height) + 1;
    n.size = l.size + r.size;
  }

  private calcBalance(n: Node): number {
    return (n.left ?? (n.leftRef as ChildRef)).height - (n.right ?? (n.rightRef as ChildRef)).height;
  }

  /** `n` is unsaved. */
  private balance(n: Node): Node {
    const b = this.calcBalance(n);
    if (b > 1) {
      if (this.calcBalance(this.src.left(n)) >= 0) return this.rotateRight(n);
      n.left = this.rotateLeft(this.src.left(n));
      n.leftRef = undefined;
      return this.rotateRight(n);
    }
    if (b < -1) {
      if (this.calcBalance(this.src.right(n)) <= 0) return this.rotateLeft(n);
      n.right = this.rotateRight(this.src.right(n));
      n.rightRef = undefined;
      return this.rotateLeft(n);
    }
    return n;
  }

  private rotateRight(node: Node): Node {
    const n = this.cloneInner(node);
    const l = this.cloneInner(this.src.left(n));
    n.left = l.right;
    n.leftRef = l.rightRef;
    l.right = n;
    l.rightRef = undefined;
    this.calcHeightAndSize(n);
    this.calcHeightAndSize(l);
    return l;
  }

  private rotateLeft(node: Node): Node {
    const n = this.cloneInner(node);
    const r = this.cloneInner(this.src.right(n));
    n.right = r.left;
    n.rightRef = r.leftRef;
    r.left = n;
    r.leftRef = undefined;
    this.calcHeightAndSize(n);
    this.calcHeightAndSize(r);
    return r;
  }

  /**
   * Gives every unsaved node of the working tree its node key (post-order, so children come
   * before the parent record that names them), its hash and its children's refs.
   */
  private sealNode(n: Node, version: number, out: Node[], counter: { seq: number }, records: RecordWriter | undefined): Uint8Array {
    if (n.saved) return n.hash as Uint8Array;
    if (n.isLeaf) {
      n.hash ??= hashLeaf(n.key, n.value as Uint8Array, n.version);
    } else {
      // In-memory children stay attached (no ref objects on the commit path): `written`
      // turns them into refs once the version is in the database.
      const l = n.left ? this.sealNode(n.left, version, out, counter, records) : (n.leftRef as ChildRef).hash;
      const r = n.right ? this.sealNode(n.right, version, out, counter, records) : (n.rightRef as ChildRef).hash;
      n.hash ??= hashInner(n.height, n.size, n.version, l, r);
    }
    n.seq = ++counter.seq;
    out.push(n);
    records?.write(n);
    return n.hash;
  }
}

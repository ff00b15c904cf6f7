/** Public face of the crypto package: hashes, signatures, verifiers, keys and addresses. */
export * from './errors';
export { ripemd160, sha256, sha256Concat } from './hash';
export {
  activeSecp256k1Backend,
  getSecp256k1Backend,
  isLowS,
  isWellFormedSecp256k1,
  publicKeyFromPrivate,
  secp256k1BackendName,
  signSecp256k1,
  verifySecp256k1,
  verifySecp256k1With,
  type Secp256k1Backend,
  type Secp256k1BackendName,
} from './secp256k1';
export {
  SingleThreadVerifier,
  WorkerPoolVerifier,
  createWorkerPoolVerifier,
  type SignatureSet,
  type SignatureVerifier,
  type WorkerPoolOptions,
} from './verifier';
export { BECH32_MAX_LENGTH, decodeBech32, encodeBech32 } from './bech32';
export * from './address';
export * from './keys';

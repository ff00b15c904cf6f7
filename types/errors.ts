/**
 * Errors are values with a stable (codespace, code) pair, registered once per module.
 *
 * A registered error is thrown with context through `wrap`:
 *
 *   export const ErrValidatorNotPaused = registerError('customslashing', 7, 'validator is not paused');
 *   throw ErrValidatorNotPaused.wrap(`status is ${status}`);
 *
 * Codes are public API: never renumber or reuse one. Messages end up in block results,
 * so they must be deterministic text (no stack traces, host names or timestamps).
 */

export class CodedError extends Error {
  constructor(
    readonly codespace: string,
    readonly code: number,
    /** The registered description, without context. */
    readonly description: string,
    message: string,
  ) {
    super(message);
    this.name = 'CodedError';
  }

  /** True when this error is, or was wrapped from, `registered`. */
  is(registered: RegisteredError): boolean {
    return this.codespace === registered.codespace && this.code === registered.code;
  }
}

export class RegisteredError extends CodedError {
  /** A new error of the same code whose message is `context: description`. */
  wrap(context: string): CodedError {
    return new CodedError(this.codespace, this.code, this.description, `${context}: ${this.description}`);
  }
}

const registry = new Map<string, RegisteredError>();

/** Registers an error code; registering the same (codespace, code) twice is a programming error. */
export function registerError(codespace: string, code: number, description: string): RegisteredError {
  if (!Number.isInteger(code) || code < 2) {
    // Code 0 is success and 1 is reserved for internal errors, as in the Cosmos SDK.
    throw new Error(`error code ${codespace}/${code} must be an integer >= 2`);
  }
  const id = `${codespace}/${code}`;
  if (registry.has(id)) throw new Error(`error ${id} is registered twice`);
  const err = new RegisteredError(codespace, code, description, description);
  registry.set(id, err);
  return err;
}

/** Every registered error, sorted by codespace then code (for generated documentation). */
export function registeredErrors(): RegisteredError[] {
  // eslint-disable-next-line determinism/no-unordered-iteration -- sorted right below
  return [...registry.values()].sort((a, b) =>
    a.codespace === b.codespace ? a.code - b.code : a.codespace < b.codespace ? -1 : 1,
  );
}

/** The codespace and code that an internal (unexpected) error is reported with. */
export const INTERNAL_CODESPACE = 'undefined';
export const INTERNAL_CODE = 1;

/** Runs the real sekaid-ts process (bin/sekaid-ts on the TypeScript source) for CLI tests. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = resolve(__dirname, '../../bin/sekaid-ts');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(BIN, args, {
      env: { ...process.env, SEKAID_TS_FROM_SOURCE: '1', SEKAID_HOME: '', SEKAID_KEYRING_PASSPHRASE: '', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Like cli() but fails the test with the process output when the exit code is not 0. */
export async function ok(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const r = await cli(args, opts);
  if (r.code !== 0) throw new Error(`sekaid-ts ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}

/** Asserts the process failed with exactly one line on stderr (no stack trace) and returns it. */
export function oneLineError(r: CliResult): string {
  if (r.code === 0) throw new Error(`expected failure, got success: ${r.stdout}`);
  const lines = r.stderr.trimEnd().split('\n');
  if (lines.length !== 1 || !lines[0].startsWith('Error: ')) throw new Error(`expected one "Error: " line on stderr, got:\n${r.stderr}`);
  return lines[0];
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function readJson<T = any>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Runs the real sekaid-ts process (bin/sekaid-ts on the TypeScript source) for CLI tests. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

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
    child.on('close', (code) => {
      const result = { code: code ?? -1, stdout, stderr };
      // The output contract: whatever a command prints as text is valid YAML. Every CLI run of
      // every test checks it, so a command that prints anything else fails the test that ran it.
      const problem = code === 0 && !jsonOutput(args) && !filePayload(args) ? yamlProblem(stdout) : undefined;
      if (problem) fail(new Error(`sekaid-ts ${args.join(' ')} printed text that is not YAML (${problem}):\n${stdout}`));
      else done(result);
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Help, completion scripts and `keys export` (an armored key for a file) are not results. */
function filePayload(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h') || args[0] === 'help' || args[0] === 'completion' || (args.includes('keys') && args.includes('export'));
}

function jsonOutput(args: readonly string[]): boolean {
  return args.some((a, i) => a === '--output=json' || a === '-o=json' || ((a === '--output' || a === '-o') && args[i + 1] === 'json'));
}

/** Why `text` is not a YAML stream, or undefined when it is. */
export function yamlProblem(text: string): string | undefined {
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) return doc.errors[0].message.split('\n')[0];
  }
  return undefined;
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

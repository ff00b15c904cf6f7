/**
 * Line input for prompts (mnemonic for --recover, passphrases). On a terminal the prompt goes
 * to stderr and one line is read; from a pipe, stdin is read once and handed out line by line,
 * so scripts can feed several answers (`printf 'pass\nmnemonic\n' | sekaid-ts ...`).
 */
import { createInterface } from 'node:readline';
import { ErrUsage } from './errors';

export class StdinReader {
  private lines: Promise<string[]> | undefined;

  async readLine(prompt: string): Promise<string> {
    if (process.stdin.isTTY) {
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      try {
        return await new Promise<string>((resolve) => rl.question(prompt, resolve));
      } finally {
        rl.close();
      }
    }
    this.lines ??= new Promise<string[]>((resolve, reject) => {
      const chunks: Buffer[] = [];
      process.stdin.on('data', (c: Buffer) => chunks.push(c));
      process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8').split(/\r?\n/)));
      process.stdin.on('error', reject);
    });
    const lines = await this.lines;
    const line = lines.shift();
    if (line === undefined || (line === '' && lines.every((l) => l === ''))) {
      throw ErrUsage.wrap(`no input on stdin for "${prompt.replace(/:\s*$/, '')}"`);
    }
    return line;
  }
}

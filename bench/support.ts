import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';

export const MB = 1024 * 1024;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A file of `size` bytes that Intake accepts: an MP4 `ftyp` box, then random `mdat` payload. */
export async function makeVideoFile(file: string, size: number): Promise<void> {
  const ftyp = Buffer.from('0000001c667479706973736f6d0000020069736f6d69736f32617663316d703431', 'hex');
  const mdatHeader = Buffer.alloc(8);
  mdatHeader.writeUInt32BE(size - ftyp.length, 0);
  mdatHeader.write('mdat', 4, 'latin1');
  const block = randomBytes(MB);
  function* chunks() {
    yield ftyp;
    yield mdatHeader;
    let left = size - ftyp.length - mdatHeader.length;
    while (left > 0) {
      const n = Math.min(left, block.length);
      yield block.subarray(0, n);
      left -= n;
    }
  }
  await pipeline(chunks(), createWriteStream(file));
}

/** Peak resident set size of a process in MB (Linux `VmHWM`), or NaN where unavailable. */
export async function peakRssMb(pid: number): Promise<number> {
  try {
    const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Runs a command, resolves with its stdout; rejects on a non-zero exit. */
export function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${out}`))));
  });
}

/** Seconds a curl transfer took, from curl's own `time_total`. */
export async function curlSeconds(args: string[]): Promise<number> {
  const out = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code} %{time_total}', ...args]);
  const [status, seconds] = out.trim().split(' ');
  if (!status?.startsWith('2')) throw new Error(`curl got HTTP ${status}`);
  return Number(seconds);
}

/** Resolves once `child` has printed a line matching `pattern` on stdout; returns the match. */
export function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        child.stdout?.off('data', onData);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`process exited (${code}) before printing ${pattern}: ${seen}`)));
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export interface RunningIntake {
  readonly child: ChildProcess;
  readonly port: number;
  readonly token: string;
  readonly workspaceId: number;
}

/** Starts `intake serve` on a fresh data dir and reads the first key it prints. */
export async function startIntake(dataDir: string, env: Record<string, string> = {}): Promise<RunningIntake> {
  const port = await freePort();
  const child = spawn(process.execPath, [new URL('../bin/intake.js', import.meta.url).pathname, 'serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', INTAKE_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
  });
  const [, token = '', workspaceId = ''] = await waitForOutput(child, /\n {2}(\d+\|\w+)\n[\s\S]*?id (\d+)\)/);
  return { child, port, token, workspaceId: Number(workspaceId) };
}

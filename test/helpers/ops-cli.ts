import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { postgresUrl } from './app.js';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const COMMAND_TIMEOUT_MS = 60_000;

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

async function newestMtime(dir: string, accept: (file: string) => boolean): Promise<number> {
  let newest = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    if (!accept(full)) continue;
    newest = Math.max(newest, (await fs.stat(full)).mtimeMs);
  }
  return newest;
}

async function mtime(file: string): Promise<number> {
  return fs.stat(file).then((s) => s.mtimeMs, () => 0);
}

/** Every child this module started and that has not exited yet. */
const children = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** For `afterAll`: kills the children still running (a command a timed-out test left behind). */
export async function killChildren(): Promise<void> {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * `bin/intake.js` runs the compiled `dist/`: compile when it is older than the sources. A type
 * error elsewhere in the tree does not stop tsc from emitting, so only a missing or stale
 * output is fatal here.
 */
export async function ensureBuilt(): Promise<void> {
  const output = path.join(projectRoot, 'dist/cli/main.js');
  const sources = await newestMtime(path.join(projectRoot, 'src'), (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  if ((await mtime(output)) >= sources) return;
  const child = track(spawn('npm', ['run', 'build'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] }));
  const result = await collect(child);
  if ((await mtime(output)) < sources) {
    throw new Error(`npm run build did not produce a fresh dist/ (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** A data dir (and, on PostgreSQL, a schema) of its own, for CLI processes. */
export interface CliSite {
  readonly dataDir: string;
  readonly env: Record<string, string>;
  cleanup(): Promise<void>;
}

export async function makeSite(): Promise<CliSite> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'intake-cli-'));
  const schema = postgresUrl ? `cli_${process.pid}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}` : undefined;
  const env: Record<string, string> = {
    INTAKE_DATA_DIR: dataDir,
    ...(postgresUrl && schema ? { DATABASE_URL: postgresUrl, INTAKE_DATABASE_SCHEMA: schema } : {}),
  };
  return {
    dataDir,
    env,
    async cleanup() {
      if (postgresUrl && schema) {
        const client = new pg.Client({ connectionString: postgresUrl });
        await client.connect();
        try {
          await client.query(`drop schema if exists "${schema}" cascade`);
        } finally {
          await client.end();
        }
      }
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The environment of a child: this process's, without any Intake setting the test did not choose. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name === 'DATABASE_URL' || name.startsWith('INTAKE_') || name === 'PORT' || name === 'HOST') continue;
    base[name] = value;
  }
  return { ...base, LOG_LEVEL: 'warn', ...env };
}

/** Runs `intake <args>` to completion. */
export async function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const child = track(
    spawn(process.execPath, ['bin/intake.js', ...args], {
      cwd: projectRoot,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
  try {
    return await collect(child);
  } finally {
    clearTimeout(timer);
  }
}

/** `runCli` with `--json`, expecting success, returning the parsed output. */
export async function runJson<T = unknown>(args: string[], env: Record<string, string>): Promise<T> {
  const result = await runCli([...args, '--json'], env);
  if (result.code !== 0) throw new Error(`intake ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** A running `intake serve` child process. */
export class ServeProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private exitedYet = false;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitedYet = true;
        resolve({ code, signal });
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static start(port: number, env: Record<string, string>, flags: string[] = []): ServeProcess {
    const child = track(
      spawn(process.execPath, ['bin/intake.js', 'serve', ...flags], {
        cwd: projectRoot,
        env: childEnv({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env }),
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    return new ServeProcess(child, port);
  }

  /** Waits until `/healthz` answers (bounded retries); fails early when the process exits. */
  async ready(): Promise<void> {
    for (let i = 0; i < 300; i += 1) {
      if (this.exitedYet) throw new Error(`serve exited early:\n${this.stdout}\n${this.stderr}`);
      try {
        const res = await fetch(`${this.url}/healthz`);
        await res.arrayBuffer();
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`serve did not become ready:\n${this.stdout}\n${this.stderr}`);
  }

  /** Sends SIGTERM and waits for the exit. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.exitedYet) this.child.kill('SIGTERM');
    return this.exited;
  }

  /** For `finally`/`afterAll`: whatever state it is in, it is gone afterwards. */
  async kill(): Promise<void> {
    if (this.exitedYet) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** True when nothing accepts a TCP connection on the port. */
export function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** The key `serve` prints on its first start (`  <id>|<secret>` on a line of its own). */
export function printedKey(stdout: string): string | undefined {
  return /^\s+(\d+\|[A-Za-z0-9]{40,})\s*$/m.exec(stdout)?.[1];
}

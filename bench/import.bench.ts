/**
 * Import benchmark (a script, not a test). Against one local upstream, in one run, it prints:
 * - the import of a large file vs `curl -o` of the same file to disk;
 * - 200 pictures of about 100 KB imported as 4 requests of 50 vs a `curl` loop fetching them;
 * - Intake's peak RSS.
 *
 *   npm run bench:import                  # 400 MB, 3 rounds
 *   BENCH_SIZE_MB=100 BENCH_ROUNDS=5 npm run bench:import
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { MB, curlSeconds, makeVideoFile, median, peakRssMb, run, startIntake } from './support.js';

const sizeMb = Number(process.env.BENCH_SIZE_MB ?? 400);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const PICTURES = 200;
const UPSTREAM_HOST = '127.0.0.2';

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'intake-import-bench-'));
const bigFile = path.join(work, 'big.mp4');
await makeVideoFile(bigFile, sizeMb * MB);

// 200 distinct pictures of about 100 KB: random pixels do not compress.
const pictures: Buffer[] = [];
for (let i = 0; i < PICTURES; i += 1) {
  const pixels = randomBytes(180 * 180 * 3);
  pictures.push(await sharp(pixels, { raw: { width: 180, height: 180, channels: 3 } }).png().toBuffer());
}

/**
 * The upstream: a plain static server. `/big.mp4?round=N` changes one byte per round, so every
 * round is new content for Intake (stored, not deduplicated), as real imports are.
 */
const upstream = http.createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://upstream');
  const picture = /^\/pictures\/(\d+)\.png$/.exec(url.pathname);
  if (picture) {
    const bytes = pictures[Number(picture[1])];
    if (!bytes) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'image/png', 'content-length': bytes.length });
    return void response.end(bytes);
  }
  if (url.pathname === '/big.mp4') {
    const round = Number(url.searchParams.get('round') ?? 0) & 0xff;
    let patched = false;
    const patch = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (!patched && chunk.length > 4096) {
          chunk[4096] = round;
          patched = true;
        }
        done(null, chunk);
      },
    });
    response.writeHead(200, { 'content-type': 'video/mp4', 'content-length': sizeMb * MB });
    pipeline(createReadStream(bigFile, { highWaterMark: MB }), patch, response).catch(() => response.destroy());
    return;
  }
  response.writeHead(404).end();
});
await new Promise<void>((resolve) => upstream.listen(0, UPSTREAM_HOST, resolve));
const origin = `http://${UPSTREAM_HOST}:${(upstream.address() as AddressInfo).port}`;

const { child: intake, port: intakePort, token, workspaceId } = await startIntake(path.join(work, 'intake'), {
  INTAKE_RATE_LIMIT_PER_MINUTE: '100000',
  INTAKE_FETCH_ALLOWED_NETWORKS: `${UPSTREAM_HOST}/32`,
  INTAKE_FETCH_ALLOWED_PORTS: '*',
});

async function importUrls(urls: string[]): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${intakePort}/api/v1/media/upload/url`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ workspace_id: workspaceId, urls }),
  });
  const body = (await response.json()) as { count_stored: number; skipped: unknown[] };
  if (response.status !== 200 || body.count_stored !== urls.length) {
    throw new Error(`import answered ${response.status}: ${JSON.stringify(body).slice(0, 500)}`);
  }
}

async function seconds(task: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await task();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

try {
  const curlDir = path.join(work, 'curl');
  await fs.mkdir(curlDir);
  const settle = async () => {
    await fs.rm(curlDir, { recursive: true, force: true });
    await fs.mkdir(curlDir);
    await run('sync', []);
  };

  const curlBig: number[] = [];
  const importBig: number[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    await settle();
    curlBig.push(await curlSeconds(['-o', path.join(curlDir, 'big.mp4'), `${origin}/big.mp4?round=${round}`]));
    await settle();
    importBig.push(await seconds(() => importUrls([`${origin}/big.mp4?round=${round + 100}`])));
    process.stderr.write(`large file round ${round}: curl -o ${curlBig.at(-1)?.toFixed(3)}s, import ${importBig.at(-1)?.toFixed(3)}s\n`);
  }

  await settle();
  const pictureUrls = pictures.map((_, i) => `${origin}/pictures/${i}.png`);
  const curlLoop = await seconds(async () => {
    for (const [i, url] of pictureUrls.entries()) await run('curl', ['-sS', '-o', path.join(curlDir, `${i}.png`), url]);
  });
  await settle();
  const importBatches = await seconds(async () => {
    for (let i = 0; i < PICTURES; i += 50) await importUrls(pictureUrls.slice(i, i + 50));
  });

  const bigRate = (times: number[]) => sizeMb / median(times);
  const rss = await peakRssMb(intake.pid ?? 0);
  console.log(`large file: ${sizeMb} MB, ${rounds} rounds (median)`);
  console.log(`${'curl -o to disk'.padEnd(40)}${bigRate(curlBig).toFixed(0).padStart(6)} MB/s`);
  console.log(`${'intake import'.padEnd(40)}${bigRate(importBig).toFixed(0).padStart(6)} MB/s`);
  console.log(`${'ratio intake / curl'.padEnd(40)}${(bigRate(importBig) / bigRate(curlBig)).toFixed(2).padStart(6)}   (target ≥ 0.90)`);
  console.log(`${PICTURES} pictures of ~${Math.round(pictures[0]!.length / 1024)} KB`);
  console.log(`${'curl loop, one after another'.padEnd(40)}${curlLoop.toFixed(2).padStart(6)} s`);
  console.log(`${'intake, 4 requests of 50'.padEnd(40)}${importBatches.toFixed(2).padStart(6)} s`);
  console.log(`${'ratio curl loop time / intake time'.padEnd(40)}${(curlLoop / importBatches).toFixed(2).padStart(6)}   (above 1: intake is faster)`);
  console.log(`${'intake peak RSS'.padEnd(40)}${rss.toFixed(0).padStart(6)} MB   (target < 200 MB)`);
} finally {
  intake.kill('SIGTERM');
  upstream.close();
  await fs.rm(work, { recursive: true, force: true });
}

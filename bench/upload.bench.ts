/**
 * Upload benchmark (a script, not a test): uploads one large file to Intake with curl, and the
 * same bytes with curl to a minimal Node server that only writes them to disk, in one run, and
 * prints both throughputs, their ratio and Intake's peak RSS.
 *
 *   npm run bench:upload              # 400 MB, 7 rounds
 *   BENCH_SIZE_MB=100 BENCH_ROUNDS=5 npm run bench:upload
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MB, curlSeconds, freePort, makeVideoFile, median, peakRssMb, run, startIntake, waitForOutput } from './support.js';

const sizeMb = Number(process.env.BENCH_SIZE_MB ?? 400);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'intake-bench-'));
const file = path.join(work, 'upload.mp4');
await makeVideoFile(file, sizeMb * MB);

const baselineDir = path.join(work, 'baseline');
await fs.mkdir(baselineDir);
/** A bare Node server writing the body to disk; `fsync` also makes it durable before answering. */
async function startBaseline(mode: 'plain' | 'fsync') {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(import.meta.dirname, 'baseline-server.mjs'), baselineDir, String(port), mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await waitForOutput(child, /listening/);
  return { port, child };
}
const plain = await startBaseline('plain');
const durable = await startBaseline('fsync');

const { child: intake, port: intakePort, token, workspaceId } = await startIntake(path.join(work, 'intake'), {
  INTAKE_RATE_LIMIT_PER_MINUTE: '1000',
});

try {
  const plainTimes: number[] = [];
  const durableTimes: number[] = [];
  const intakeTimes: number[] = [];
  // Each measurement starts with no dirty pages left by the one before, so none pays for
  // another's write-back.
  const settle = async () => {
    await fs.rm(baselineDir, { recursive: true, force: true });
    await fs.mkdir(baselineDir);
    await run('sync', []);
  };
  const handle = await fs.open(file, 'r+');
  for (let round = 1; round <= rounds; round += 1) {
    // A byte of the payload changes every round, so every upload is new content for Intake
    // (stored, not deduplicated), as a real upload would be.
    await handle.write(Buffer.from([round]), 0, 1, 4096);
    await handle.sync();
    // The same multipart request to all three, so all receive exactly the same bytes.
    await settle();
    plainTimes.push(await curlSeconds(['-F', `file=@${file}`, `http://127.0.0.1:${plain.port}/`]));
    await settle();
    durableTimes.push(await curlSeconds(['-F', `file=@${file}`, `http://127.0.0.1:${durable.port}/`]));
    await settle();
    intakeTimes.push(
      await curlSeconds([
        '-H',
        `Authorization: Bearer ${token}`,
        '-F',
        `workspace_id=${workspaceId}`,
        '-F',
        `file=@${file}`,
        `http://127.0.0.1:${intakePort}/api/v1/media/upload/file`,
      ]),
    );
    process.stderr.write(
      `round ${round}: node ${plainTimes.at(-1)}s, node+fsync ${durableTimes.at(-1)}s, intake ${intakeTimes.at(-1)}s\n`,
    );
  }
  await handle.close();
  // Disk write-back on a shared machine makes single rounds noisy: both the median and the best
  // round are shown, each computed the same way for all three.
  const rate = (times: number[], pick: (t: number[]) => number) => sizeMb / pick(times);
  const best = (times: number[]) => Math.min(...times);
  const rss = await peakRssMb(intake.pid ?? 0);
  const row = (label: string, times: number[]) =>
    console.log(`${label.padEnd(36)}${rate(times, median).toFixed(0).padStart(6)} MB/s median ${rate(times, best).toFixed(0).padStart(6)} MB/s best`);
  const ratio = (label: string, base: number[], note = '') =>
    console.log(
      `${label.padEnd(36)}${(rate(intakeTimes, median) / rate(base, median)).toFixed(2).padStart(6)}      median ${(rate(intakeTimes, best) / rate(base, best)).toFixed(2).padStart(6)}      best${note}`,
    );
  console.log(`file size: ${sizeMb} MB, ${rounds} rounds`);
  row('curl → bare node, write', plainTimes);
  row('curl → bare node, write + fsync', durableTimes);
  row('curl → intake upload', intakeTimes);
  ratio('ratio intake / bare write', plainTimes, '   (target ≥ 0.80)');
  ratio('ratio intake / bare write + fsync', durableTimes);
  console.log(`${'intake peak RSS'.padEnd(36)}${rss.toFixed(0).padStart(6)} MB   (target < 150 MB)`);
} finally {
  intake.kill('SIGTERM');
  plain.child.kill('SIGTERM');
  durable.child.kill('SIGTERM');
  await fs.rm(work, { recursive: true, force: true });
}

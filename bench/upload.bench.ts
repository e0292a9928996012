/**
 * Upload benchmark (a script, not a test): uploads one large file to Intake with curl, and the
 * same bytes with curl to a minimal Node server that only writes them to disk, in one run, and
 * prints both throughputs, their ratio and Intake's peak RSS.
 *
 *   npm run bench:upload              # 400 MB, 3 rounds
 *   BENCH_SIZE_MB=100 BENCH_ROUNDS=5 npm run bench:upload
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MB, curlSeconds, freePort, makeVideoFile, median, peakRssMb, waitForOutput } from './support.js';

const sizeMb = Number(process.env.BENCH_SIZE_MB ?? 400);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'intake-bench-'));
const file = path.join(work, 'upload.mp4');
await makeVideoFile(file, sizeMb * MB);

const baselineDir = path.join(work, 'baseline');
await fs.mkdir(baselineDir);
const baselinePort = await freePort();
const baseline = spawn(process.execPath, [path.join(import.meta.dirname, 'baseline-server.mjs'), baselineDir, String(baselinePort)], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
await waitForOutput(baseline, /listening/);

const intakePort = await freePort();
const intake = spawn(process.execPath, [path.join(import.meta.dirname, '..', 'bin', 'intake.js'), 'serve'], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: {
    ...process.env,
    PORT: String(intakePort),
    HOST: '127.0.0.1',
    INTAKE_DATA_DIR: path.join(work, 'intake'),
    INTAKE_RATE_LIMIT_PER_MINUTE: '1000',
    LOG_LEVEL: 'warn',
  },
});
const [, token, workspaceId] = await waitForOutput(intake, /\n {2}(\d+\|\w+)\n[\s\S]*?id (\d+)\)/);

try {
  const baselineTimes: number[] = [];
  const intakeTimes: number[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    // Same multipart request to both, so both receive exactly the same bytes on the wire.
    baselineTimes.push(await curlSeconds(['-F', `file=@${file}`, `http://127.0.0.1:${baselinePort}/`]));
    await fs.rm(baselineDir, { recursive: true, force: true });
    await fs.mkdir(baselineDir);
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
    process.stderr.write(`round ${round}: baseline ${baselineTimes.at(-1)}s, intake ${intakeTimes.at(-1)}s\n`);
  }
  const baselineMbps = sizeMb / median(baselineTimes);
  const intakeMbps = sizeMb / median(intakeTimes);
  const rss = await peakRssMb(intake.pid ?? 0);
  console.log(`file size:               ${sizeMb} MB, ${rounds} rounds (median)`);
  console.log(`baseline (curl → node):  ${baselineMbps.toFixed(1)} MB/s`);
  console.log(`intake upload:           ${intakeMbps.toFixed(1)} MB/s`);
  console.log(`ratio intake/baseline:   ${(intakeMbps / baselineMbps).toFixed(2)}   (target ≥ 0.80)`);
  console.log(`intake peak RSS:         ${rss.toFixed(0)} MB   (target < 150 MB)`);
} finally {
  intake.kill('SIGTERM');
  baseline.kill('SIGTERM');
  await fs.rm(work, { recursive: true, force: true });
}

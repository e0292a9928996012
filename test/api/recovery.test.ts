import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listFiles, startApp } from '../helpers/app.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

describe('start after a crash', () => {
  it('removes temporary objects and partial writes a crash left behind, and keeps stored media', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'intake-crash-'));
    dirs.push(dataDir);
    const media = path.join(dataDir, 'media');
    const old = new Date(Date.now() - 2 * 3600_000);
    const leftovers = {
      // Finished streaming, never committed (the process died before the move).
      staged: path.join(media, 'tmp', '5d2a1c3e-staged'),
      // Died mid-stream: the driver's hidden partial file.
      partial: path.join(media, 'tmp', '.6e3b2d4f-partial.a1b2c3.part'),
      // A stored blob belongs to a media row and must survive.
      blob: path.join(media, '1', 'ab', 'ab'.padEnd(64, '0')),
    };
    for (const file of Object.values(leftovers)) {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, 'bytes');
      await fs.utimes(file, old, old);
    }

    const app = await startApp({ INTAKE_DATA_DIR: dataDir });
    try {
      const files = await listFiles(media);
      expect(files).toEqual([path.join('1', 'ab', 'ab'.padEnd(64, '0'))]);
    } finally {
      await app.close();
    }
  });
});

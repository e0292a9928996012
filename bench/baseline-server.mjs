// The baseline the upload benchmark compares against: the least a server can do with an
// upload, which is write the request body to disk. With `fsync`, it also makes the file
// durable before answering, as Intake does before it records a media row.
import { createWriteStream } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

const [dir, port, mode] = process.argv.slice(2);
let n = 0;
http
  .createServer((request, response) => {
    n += 1;
    const out = createWriteStream(path.join(dir, `upload-${n}`), { flush: mode === 'fsync' });
    pipeline(request, out).then(
      () => response.end('ok'),
      () => response.destroy(),
    );
  })
  .listen(Number(port), '127.0.0.1', () => process.stdout.write('listening\n'));

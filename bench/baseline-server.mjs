// The baseline the upload benchmark compares against: the least a server can do with an
// upload, which is write the request body to disk.
import { createWriteStream } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

const [dir, port] = process.argv.slice(2);
let n = 0;
http
  .createServer(async (request, response) => {
    n += 1;
    await pipeline(request, createWriteStream(path.join(dir, `upload-${n}`)));
    response.end('ok');
  })
  .listen(Number(port), '127.0.0.1', () => process.stdout.write('listening\n'));

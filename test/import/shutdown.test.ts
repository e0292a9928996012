import { afterAll, expect, it } from 'vitest';
import { json, startApp } from '../helpers/app.js';
import { type Upstream, startUpstream } from '../helpers/net-upstream.js';

let upstream: Upstream | undefined;
afterAll(async () => {
  await upstream?.close();
});

it('shuts down after its grace period even while a download is stalled', async () => {
  upstream = await startUpstream({ host: '127.0.0.2' });
  // Limits of an hour: only the shutdown itself can end this download.
  const app = await startApp({
    INTAKE_FETCH_ALLOWED_NETWORKS: '127.0.0.2/32',
    INTAKE_FETCH_ALLOWED_PORTS: '*',
    INTAKE_FETCH_IDLE_TIMEOUT_SECONDS: '3600',
    INTAKE_FETCH_TIMEOUT_SECONDS: '3600',
    INTAKE_SHUTDOWN_GRACE_SECONDS: '1',
  });
  const user = await app.user();
  const pending = app
    .api(user.token, '/api/v1/media/upload/url', json({ workspace_id: user.workspaceId, urls: [upstream.url('/stall-body')] }))
    .then(
      () => 'answered',
      () => 'connection closed',
    );
  await expect.poll(() => upstream?.requests.length, { timeout: 10_000 }).toBe(1);

  // If closing waited for the download, this would never return (the test would time out).
  await app.close();
  expect(await pending).toBe('connection closed');
});

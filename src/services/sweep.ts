import type { Logger } from 'pino';
import type { StorageDriver } from '../storage/driver.js';
import { TEMP_PREFIX } from './ingest.service.js';

/**
 * A temporary object exists only between the end of a stream and its move (seconds), and a
 * partial write is touched with every chunk (the idle timeouts end a stalled one): anything
 * this old is a crash's leftover, even with several instances sharing storage.
 */
const STALE_AFTER_MS = 3600 * 1000;

/**
 * Removes temporary objects a crash left behind. Only stale ones: with shared storage another
 * instance may be staging an upload right now.
 */
export async function sweepTemporary(storage: StorageDriver, log: Logger, staleAfterMs = STALE_AFTER_MS): Promise<number> {
  let removed = await storage.recover(TEMP_PREFIX, staleAfterMs);
  const cutoff = Date.now() - staleAfterMs;
  for await (const key of storage.list(TEMP_PREFIX)) {
    const stat = await storage.stat(key);
    if (stat && stat.modified.getTime() < cutoff) {
      await storage.delete(key);
      removed += 1;
    }
  }
  if (removed > 0) log.info({ removed }, 'removed stale temporary objects');
  return removed;
}

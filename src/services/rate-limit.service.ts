import type { Db } from '../db/database.js';

export interface RateLimitState {
  readonly limit: number;
  readonly remaining: number;
  /** UNIX seconds when the window resets. */
  readonly reset: number;
  readonly exceeded: boolean;
}

const WINDOW_SECONDS = 60;

/**
 * Fixed one-minute windows per user, counted in the database so every instance shares them.
 * One upsert per request; old windows are pruned now and then.
 */
export class RateLimitService {
  private lastPrune = 0;

  constructor(
    private readonly db: Db,
    private readonly limit: number,
    private readonly clock: () => number = Date.now,
  ) {}

  async hit(userId: number): Promise<RateLimitState> {
    const nowSeconds = Math.floor(this.clock() / 1000);
    const windowStart = nowSeconds - (nowSeconds % WINDOW_SECONDS);
    const row = await this.db
      .insertInto('rate_limits')
      .values({ user_id: userId, window_start: windowStart, hits: 1 })
      .onConflict((oc) =>
        oc.columns(['user_id', 'window_start']).doUpdateSet((eb) => ({ hits: eb('rate_limits.hits', '+', 1) })),
      )
      .returning('hits')
      .executeTakeFirstOrThrow();
    await this.pruneNowAndThen(windowStart);
    const hits = Number(row.hits);
    return {
      limit: this.limit,
      remaining: Math.max(0, this.limit - hits),
      reset: windowStart + WINDOW_SECONDS,
      exceeded: hits > this.limit,
    };
  }

  private async pruneNowAndThen(windowStart: number): Promise<void> {
    if (windowStart - this.lastPrune < WINDOW_SECONDS * 10) return;
    this.lastPrune = windowStart;
    await this.db.deleteFrom('rate_limits').where('window_start', '<', windowStart - WINDOW_SECONDS).execute();
  }
}

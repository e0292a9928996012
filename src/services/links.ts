import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Links to stored bytes, signed by Intake and valid until `expires` (UNIX seconds). The media
 * name in the path is only for people and download managers; the signature covers the id and
 * the expiry, and the served name always comes from the database.
 */
export class FileLinks {
  constructor(
    private readonly publicUrl: string,
    private readonly secret: string,
    private readonly ttlSeconds: number,
    private readonly clock: () => number = Date.now,
  ) {}

  url(mediaId: number, name: string): string {
    const expires = Math.floor(this.clock() / 1000) + this.ttlSeconds;
    const signature = this.sign(mediaId, expires);
    return `${this.publicUrl}/files/${mediaId}/${encodeURIComponent(name)}?expires=${expires}&signature=${signature}`;
  }

  /** True when the signature matches and the link has not expired. */
  verify(mediaId: number, expires: number, signature: string): boolean {
    if (!Number.isSafeInteger(expires) || expires < Math.floor(this.clock() / 1000)) return false;
    const expected = Buffer.from(this.sign(mediaId, expires));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private sign(mediaId: number, expires: number): string {
    return createHmac('sha256', this.secret).update(`file:${mediaId}:${expires}`).digest('base64url');
  }
}

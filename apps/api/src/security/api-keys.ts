import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The API keys of `SAGAFLOW_API_KEYS`, and the browser sessions made from them. Keys are compared through their
 * SHA-256 digests with `timingSafeEqual`, against every key, so that neither a key's content nor its length shows
 * in the time an answer takes. Keys are never logged.
 */
export class ApiKeys {
  private readonly digests: Buffer[];

  private constructor(private readonly keys: readonly string[]) {
    this.digests = keys.map(sha256);
  }

  /** Comma-separated keys; blanks around them and empty entries are ignored. */
  static parse(raw: string | undefined): ApiKeys {
    return new ApiKeys(
      (raw ?? '')
        .split(',')
        .map((key) => key.trim())
        .filter((key) => key.length > 0),
    );
  }

  /** False when no key is configured: the API is open (development only). */
  get enabled(): boolean {
    return this.keys.length > 0;
  }

  matches(candidate: string): boolean {
    const digest = sha256(candidate);
    let found = false;
    for (const key of this.digests) found = timingSafeEqual(key, digest) || found;
    return found;
  }

  /** A session token for a browser that logged in with `key`, valid until `expiresAt` (ms). */
  session(key: string, expiresAt: number): string {
    return `${expiresAt}.${sessionMac(key, expiresAt)}`;
  }

  /** Whether `token` is an unexpired session made from one of the keys. */
  validSession(token: string | undefined, now = Date.now()): boolean {
    const [expires, mac] = (token ?? '').split('.');
    const expiresAt = Number(expires);
    if (!mac || !Number.isSafeInteger(expiresAt) || expiresAt <= now) return false;
    const given = Buffer.from(mac, 'utf8');
    let found = false;
    for (const key of this.keys) {
      const expected = Buffer.from(sessionMac(key, expiresAt), 'utf8');
      found = (expected.length === given.length && timingSafeEqual(expected, given)) || found;
    }
    return found;
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function sessionMac(key: string, expiresAt: number): string {
  return createHmac('sha256', key).update(`sagaflow-session:${expiresAt}`).digest('base64url');
}

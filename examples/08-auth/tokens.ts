/**
 * Signed access tokens, with node:crypto only: `<payload>.<signature>`, both base64url,
 * the signature an HMAC-SHA256 of the payload under a server secret. (A JWT with HS256 is
 * the same idea with a header in front.)
 */

import { createHmac, timingSafeEqual } from 'node:crypto';

export interface Claims {
  /** The user id. */
  readonly sub: string;
  /** Expiry, in seconds since the epoch. */
  readonly exp: number;
}

/** The token is malformed or its signature does not match. */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/** The token was valid, but its time is up. */
export class TokenExpiredError extends Error {
  override readonly name = 'TokenExpiredError';
}

export class TokenSigner {
  constructor(
    private readonly secret: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token for `sub`, valid for `ttlSeconds` (negative: already expired, for tests). */
  sign(sub: string, ttlSeconds = 900): string {
    const claims: Claims = { sub, exp: Math.floor(this.now() / 1000) + ttlSeconds };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${payload}.${this.signature(payload).toString('base64url')}`;
  }

  /** The claims of a genuine, unexpired token; throws `InvalidTokenError` or `TokenExpiredError`. */
  verify(token: string): Claims {
    const [payload, signature, ...rest] = token.split('.');
    if (!payload || !signature || rest.length > 0) {
      throw new InvalidTokenError('malformed token');
    }
    const expected = this.signature(payload);
    const actual = Buffer.from(signature, 'base64url');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      throw new InvalidTokenError('bad signature');
    }
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
    if (this.isExpired(claims)) {
      throw new TokenExpiredError(`token expired at ${new Date(claims.exp * 1000).toISOString()}`);
    }
    return claims;
  }

  protected isExpired(claims: Claims): boolean {
    return claims.exp * 1000 <= this.now();
  }

  private signature(payload: string): Buffer {
    return createHmac('sha256', this.secret).update(payload).digest();
  }
}

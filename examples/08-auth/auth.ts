/**
 * Authentication (who is calling: a valid token, a known user) and authorization (may
 * they do this: a role check). Each step is a span, so a test can check that every
 * protected operation was preceded by both, and what they decided.
 */

import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { TracedDatabase } from '../support/sqlite';
import { InvalidTokenError, type TokenSigner } from './tokens';

const tracer = trace.getTracer('admin-api/auth', '1.0.0');

export interface User {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
}

/** No usable credentials: the caller gets a 401. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}

export class Authenticator {
  constructor(
    private readonly signer: TokenSigner,
    private readonly db: TracedDatabase,
  ) {}

  /**
   * The user behind `authorization` (`Bearer <token>`). A token that fails validation is a
   * failed span (ERROR status and the exception): the caller presented bad credentials,
   * which the endpoint answers with a 401.
   */
  async authenticate(authorization: string | undefined): Promise<User> {
    return tracer.startActiveSpan('Authenticate', async (span) => {
      try {
        span.setAttribute('app.auth.scheme', 'bearer');
        const claims = this.validate(authorization);
        const user = this.lookUp(claims.sub);
        span.setAttribute('enduser.id', user.id);
        return user;
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    });
  }

  private validate(authorization: string | undefined) {
    return tracer.startActiveSpan('Validate Token', (span) => {
      try {
        const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
        if (token === undefined) throw new InvalidTokenError('no bearer token');
        const claims = this.signer.verify(token);
        span.setAttribute('app.auth.token.expires_at', claims.exp);
        return claims;
      } catch (error) {
        const failure = error as Error;
        span.recordException(failure);
        span.setAttribute('error.type', failure.name);
        span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
        throw new AuthenticationError(failure.message, { cause: error });
      } finally {
        span.end();
      }
    });
  }

  private lookUp(id: string): User {
    const [row] = this.db.query<{ id: string; name: string; roles: string }>(
      'SELECT id, name, roles FROM users WHERE id = $id',
      { id },
    );
    if (!row) throw new AuthenticationError(`unknown user ${id}`);
    return { id: row.id, name: row.name, roles: row.roles.split(',').filter(Boolean) };
  }
}

export class Authorizer {
  /**
   * Whether `user` has `role`. A refusal is a decision, not a failure: the span records it
   * (`app.authz.decision = deny`) and keeps its status unset, no exception is thrown, and
   * the endpoint answers 403.
   */
  allows(user: User, role: string): boolean {
    return tracer.startActiveSpan('Authorize', (span) => {
      const allowed = user.roles.includes(role);
      span.setAttributes({
        'enduser.id': user.id,
        'user.roles': [...user.roles],
        'app.authz.required_role': role,
        'app.authz.decision': allowed ? 'allow' : 'deny',
      });
      span.end();
      return allowed;
    });
  }
}

export const USERS_SCHEMA = `
  CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL, roles TEXT NOT NULL);
`;

/** Three users, two of them without the admin role; run again to undo deletions. */
export const USERS_SEED = `
  DELETE FROM users;
  INSERT INTO users VALUES
    ('u-1', 'Grace Hopper', 'viewer,admin'),
    ('u-2', 'Edsger Dijkstra', 'viewer'),
    ('u-3', 'Barbara Liskov', 'viewer');
`;

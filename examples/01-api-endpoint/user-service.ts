/**
 * The user service: one custom span around the business operation, with the auth check
 * and the database lookup as its children.
 */

import { trace } from '@opentelemetry/api';
import type { TracedDatabase } from '../support/sqlite';
import type { AuthService } from './auth';

const tracer = trace.getTracer('user-api/users', '1.0.0');

export interface User {
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

export class UserService {
  constructor(
    private readonly auth: AuthService,
    private readonly db: TracedDatabase,
  ) {}

  /** The user `id`, if the caller may see it; undefined when there is no such user. */
  async getUser(id: string, authorization: string | undefined): Promise<User | undefined> {
    return tracer.startActiveSpan('User Service', async (span) => {
      try {
        span.setAttribute('app.user.id', id);
        this.authorize(authorization, id);
        const [user] = this.db.query<{ id: string; name: string; email: string }>(
          'SELECT id, name, email FROM users WHERE id = $id',
          { id },
        );
        span.setAttribute('app.user.found', user !== undefined);
        return user;
      } finally {
        span.end();
      }
    });
  }

  /** Throws when the caller may not read the profile (see `AuthService.check`). */
  protected authorize(authorization: string | undefined, id: string): void {
    this.auth.check(authorization, id);
  }
}

export const USERS_SCHEMA = `
  CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL);
  INSERT INTO users VALUES
    ('123', 'Ada Lovelace', 'ada@example.com'),
    ('456', 'Alan Turing', 'alan@example.com');
`;

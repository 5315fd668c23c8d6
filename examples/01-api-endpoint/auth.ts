/**
 * The auth check in front of the user endpoint: who is calling (a session token), and may
 * they read this profile (their own, or any with the `admin` role).
 */

import { trace } from '@opentelemetry/api';

const tracer = trace.getTracer('user-api/auth', '1.0.0');

export interface Caller {
  readonly id: string;
  readonly roles: readonly string[];
}

/** The request carries no valid session: 401. */
export class NotAuthenticated extends Error {
  override readonly name = 'NotAuthenticated';
}

/** The caller may not read this profile: 403. */
export class NotAllowed extends Error {
  override readonly name = 'NotAllowed';
}

export class AuthService {
  /** `sessions`: session token → the user it was issued to. */
  constructor(private readonly sessions: ReadonlyMap<string, Caller>) {}

  /**
   * The caller behind `authorization` (`Bearer <token>`), if they may read the profile of
   * `userId`. A denial is an answer, not a failure of the check: the span records the
   * decision and keeps its status unset; the endpoint turns it into a 401 or 403.
   */
  check(authorization: string | undefined, userId: string): Caller {
    return tracer.startActiveSpan('Auth Check', (span) => {
      try {
        span.setAttribute('app.auth.scheme', 'bearer');
        const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
        const caller = token === undefined ? undefined : this.sessions.get(token);
        if (!caller) {
          span.setAttribute('app.auth.decision', 'unauthenticated');
          throw new NotAuthenticated('no valid session');
        }
        span.setAttribute('enduser.id', caller.id);
        if (caller.id !== userId && !caller.roles.includes('admin')) {
          span.setAttribute('app.auth.decision', 'deny');
          throw new NotAllowed(`${caller.id} may not read user ${userId}`);
        }
        span.setAttribute('app.auth.decision', 'allow');
        return caller;
      } finally {
        span.end();
      }
    });
  }
}

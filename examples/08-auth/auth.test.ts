/**
 * Authentication and authorization on a real HTTP API: a signed token is validated, its
 * user looked up, the role checked; refusals are decisions recorded on spans (a 403),
 * bad credentials are failed spans (a 401), and nothing protected runs in either case.
 */

import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { captureTrace } from 'tracespec';
import { httpRequest, type RunningServer, startServer } from '../support/http-server';
import { TracedDatabase } from '../support/sqlite';
import { createAdminApi } from './app';
import { Authenticator, Authorizer, USERS_SCHEMA, USERS_SEED } from './auth';
import { type Claims, TokenSigner } from './tokens';

const signer = new TokenSigner('test-secret-do-not-use-in-production');
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const ADMIN = bearer(signer.sign('u-1'));
const VIEWER = bearer(signer.sign('u-2'));

let db: TracedDatabase;
let api: RunningServer;

beforeAll(async () => {
  db = await TracedDatabase.open({ name: 'accounts' });
  db.migrate(USERS_SCHEMA);
  api = await startServer(
    createAdminApi({
      authenticator: new Authenticator(signer, db),
      authorizer: new Authorizer(),
      db,
    }),
  );
});

beforeEach(() => db.migrate(USERS_SEED));

afterAll(async () => {
  await api?.close();
  db?.close();
});

/** `DELETE /api/users/u-3` with these headers, traced. */
async function deleteUser(headers: Record<string, string>, target = api) {
  let status = 0;
  const trace = await captureTrace(async () => {
    ({ status } = await httpRequest(`${target.url}/api/users/u-3`, { method: 'DELETE', headers }));
  });
  return { status, trace };
}

describe('an admin deletes a user', () => {
  test('authenticated, authorized, then deleted: in that order, under the request', async () => {
    const { status, trace } = await deleteUser(ADMIN);

    expect(status).toBe(204);
    expect(trace).toMatchTraceTree(
      `
      DELETE
      └── DELETE /api/users/:id
          ├── Authenticate
          │   ├── Validate Token
          │   └── SELECT users
          ├── Authorize
          └── DELETE users
      `,
      { strict: true, ordered: true },
    );
    expect(trace).toHaveAttributes('{ kind = server }', {
      'http.route': '/api/users/:id',
      'http.response.status_code': 204,
      'enduser.id': 'u-1',
    });
    expect(trace).toHaveAttributes('{ name = "Authorize" }', {
      'app.authz.required_role': 'admin',
      'app.authz.decision': 'allow',
      'user.roles': ['viewer', 'admin'],
    });
    expect(trace).toHaveNoErrors();
  });
});

describe('a viewer tries to delete a user', () => {
  test('is denied with a 403 recorded on the spans, not an exception', async () => {
    const { status, trace } = await deleteUser(VIEWER);

    expect(status).toBe(403);
    expect(trace).toHaveAttributes('{ name = "Authorize" }', {
      'enduser.id': 'u-2',
      'user.roles': ['viewer'],
      'app.authz.decision': 'deny',
    });
    expect(trace).toHaveAttributes('{ kind = server }', {
      'http.response.status_code': 403,
      'enduser.id': 'u-2',
    });
    // A refusal is the system working: no exception, no failed span on the server side
    // (the test's HTTP client span counts the 4xx as its own failure, per the conventions).
    expect(trace).not.toHaveRecordedException();
    expect(trace).not.toHaveSpan('{ kind != client && status = error }');
    // And the protected operation never ran.
    expect(trace).not.toHaveSpan('{ name = "DELETE users" }');
  });

  test('broken variant: an authorizer that allows everything lets the delete through', async () => {
    /** The bug: a check disabled "for local testing" that shipped. */
    class AllowAllAuthorizer extends Authorizer {
      override allows(): boolean {
        return true;
      }
    }
    const unguarded = await startServer(
      createAdminApi({
        authenticator: new Authenticator(signer, db),
        authorizer: new AllowAllAuthorizer(),
        db,
      }),
    );
    try {
      const { status, trace } = await deleteUser(VIEWER, unguarded);

      expect(status).toBe(204);
      expect(() => expect(trace).not.toHaveSpan('{ name = "DELETE users" }')).toThrow(
        /no span to match the selector[\s\S]*1 span matched:[\s\S]*DELETE users/,
      );
      expect(() =>
        expect(trace).toHaveSpan('{ name = "Authorize" && span.app.authz.decision = "allow" }'),
      ).toThrow(/none of \d+ spans matched/);
    } finally {
      await unguarded.close();
    }
  });
});

describe('bad credentials', () => {
  test('an expired token fails validation: a 401, and no user lookup', async () => {
    const expired = bearer(signer.sign('u-1', -60));
    let status = 0;
    const trace = await captureTrace(async () => {
      ({ status } = await httpRequest(`${api.url}/api/me`, { headers: expired }));
    });

    expect(status).toBe(401);
    expect(trace).toMatchTraceTree(`
      GET
      └── GET /api/me
          └── Authenticate  ✗ error
              └── Validate Token  ✗ error
    `);
    expect(trace).toHaveRecordedException('{ name = "Validate Token" }', {
      type: 'TokenExpiredError',
      message: 'token expired at',
    });
    expect(trace).toHaveErrorOrigin('{ name = "Validate Token" }');
    // The endpoint handled it: the failure stops at Authenticate, the server span is a 401.
    expect(trace).toPropagateError({
      from: '{ name = "Validate Token" }',
      to: '{ name = "Authenticate" }',
    });
    expect(trace).toHaveAttributes('{ kind = server }', { 'http.response.status_code': 401 });
    expect(trace).not.toHaveSpan('{ type = database }');
  });

  test('a forged token fails on its signature', async () => {
    // A viewer's genuine token, its payload rewritten to claim the admin's id.
    const [, signature] = signer.sign('u-2').split('.');
    const claims: Claims = { sub: 'u-1', exp: Math.floor(Date.now() / 1000) + 900 };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const forged = bearer(`${payload}.${signature}`);
    let status = 0;
    const trace = await captureTrace(async () => {
      ({ status } = await httpRequest(`${api.url}/api/me`, { headers: forged }));
    });

    expect(status).toBe(401);
    expect(trace).toHaveRecordedException('{ name = "Validate Token" }', {
      type: 'InvalidTokenError',
      message: 'bad signature',
    });
    expect(trace).not.toHaveSpan('{ type = database }');
  });

  test('broken variant: a signer that ignores expiry lets the expired token in', async () => {
    /** The bug: the expiry check lost in a refactoring. */
    class ClocklessSigner extends TokenSigner {
      protected override isExpired(): boolean {
        return false;
      }
    }
    const lenient = new ClocklessSigner('test-secret-do-not-use-in-production');
    const unguarded = await startServer(
      createAdminApi({
        authenticator: new Authenticator(lenient, db),
        authorizer: new Authorizer(),
        db,
      }),
    );
    try {
      let status = 0;
      const trace = await captureTrace(async () => {
        ({ status } = await httpRequest(`${unguarded.url}/api/me`, {
          headers: bearer(signer.sign('u-1', -60)),
        }));
      });

      expect(status).toBe(200);
      expect(() =>
        expect(trace).toHaveRecordedException('{ name = "Validate Token" }', {
          type: 'TokenExpiredError',
        }),
      ).toThrow(/to have recorded an exception[\s\S]*the one matching span recorded no exception/);
    } finally {
      await unguarded.close();
    }
  });
});

/**
 * `GET /api/users/:id` end to end: a real HTTP request to a real `node:http` server, traced
 * by the real HTTP instrumentation, through the user service to its auth check and its
 * database lookup.
 */

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { captureTrace } from 'tracespec';
import { httpRequest, type RunningServer, startServer } from '../support/http-server';
import { TracedDatabase } from '../support/sqlite';
import { createApp } from './app';
import { AuthService, type Caller } from './auth';
import { USERS_SCHEMA, UserService } from './user-service';

const SESSIONS = new Map<string, Caller>([
  ['ada-session', { id: '123', roles: [] }],
  ['admin-session', { id: '1', roles: ['admin'] }],
]);
const AS_ADA = { authorization: 'Bearer ada-session' };
const AS_ADMIN = { authorization: 'Bearer admin-session' };

/** The whole request as it must look: the test's HTTP client span is the root. */
const GET_USER_TREE = `
  GET
  └── GET /api/users/:id (<2s)
      └── User Service
          ├── Auth Check
          └── SELECT users
`;

let db: TracedDatabase;
let api: RunningServer;

beforeAll(async () => {
  db = await TracedDatabase.open({ name: 'accounts' });
  db.migrate(USERS_SCHEMA);
  api = await startServer(createApp(new UserService(new AuthService(SESSIONS), db)));
});

afterAll(async () => {
  await api?.close();
  db?.close();
});

describe('GET /api/users/123', () => {
  test('one trace from the client to the database: server span, user service, auth check, lookup', async () => {
    let status = 0;
    let body = '';
    const trace = await captureTrace(async () => {
      ({ status, body } = await httpRequest(`${api.url}/api/users/123`, { headers: AS_ADA }));
    });

    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ id: '123', name: 'Ada Lovelace', email: 'ada@example.com' });
    // strict: no other span at these levels; ordered: the auth check runs before the lookup.
    expect(trace).toMatchTraceTree(GET_USER_TREE, { strict: true, ordered: true });
    expect(trace).toHaveNoErrors();
  });

  test('each span carries the semantic-convention attributes of what it did', async () => {
    const trace = await captureTrace(() =>
      httpRequest(`${api.url}/api/users/123`, { headers: AS_ADA }),
    );

    // The server span, from the HTTP instrumentation (the route from our router).
    expect(trace).toHaveAttributes('{ kind = server }', {
      'http.request.method': 'GET',
      'http.route': '/api/users/:id',
      'url.path': '/api/users/123',
      'http.response.status_code': expect.any(Number),
    });
    // The client span, from the same instrumentation on the calling side.
    expect(trace).toHaveAttributes('{ kind = client && type = http }', {
      'http.request.method': 'GET',
      'url.full': `${api.url}/api/users/123`,
      'server.address': '127.0.0.1',
      'http.response.status_code': 200,
    });
    expect(trace).toHaveAttributes('{ name = "Auth Check" }', {
      'enduser.id': '123',
      'app.auth.decision': 'allow',
    });
    expect(trace).toHaveAttributes('{ type = database }', {
      'db.system.name': 'sqlite',
      'db.operation.name': 'SELECT',
      'db.collection.name': 'users',
      'db.query.text': 'SELECT id, name, email FROM users WHERE id = $id',
      'db.query.parameter.id': '123',
      'db.response.returned_rows': 1,
    });
  });

  test('stays within its latency budget', async () => {
    const trace = await captureTrace(() =>
      httpRequest(`${api.url}/api/users/123`, { headers: AS_ADA }),
    );

    // Budgets generous enough for a loaded CI machine; a regression by an order of
    // magnitude (a slow query, a retry loop) still fails them.
    expect(trace).toCompleteWithin('2s');
    expect(trace).toHaveSpanWithin('{ name = "User Service" }', '1s');
    expect(trace).toHaveSpanWithin('{ type = database }', '750ms');
  });
});

describe('errors and refusals', () => {
  test('an unknown user is a 404: an error for the client, not for the server', async () => {
    let status = 0;
    const trace = await captureTrace(async () => {
      ({ status } = await httpRequest(`${api.url}/api/users/999`, { headers: AS_ADMIN }));
    });

    expect(status).toBe(404);
    expect(trace).toMatchTraceTree(GET_USER_TREE);
    expect(trace).toHaveAttributes('{ kind = server }', { 'http.response.status_code': 404 });
    expect(trace).toHaveAttributes('{ type = database }', { 'db.response.returned_rows': 0 });
    expect(trace).toHaveAttributes('{ name = "User Service" }', { 'app.user.found': false });
    // The semantic conventions: 4xx marks the client span as failed, never the server span.
    expect(trace).toHaveErrorOrigin('{ kind = client }');
    expect(trace).not.toHaveSpan('{ kind = server && status = error }');
  });

  test('a request without a session is refused before the database is touched', async () => {
    let status = 0;
    const trace = await captureTrace(async () => {
      ({ status } = await httpRequest(`${api.url}/api/users/123`));
    });

    expect(status).toBe(401);
    expect(trace).toHaveAttributes('{ name = "Auth Check" }', {
      'app.auth.decision': 'unauthenticated',
      'enduser.id': undefined,
    });
    expect(trace).not.toHaveSpan('{ type = database }');
  });
});

describe('a broken variant: a user service that skips the auth check', () => {
  /** The bug: someone "temporarily" disabled authorization. */
  class UncheckedUserService extends UserService {
    protected override authorize(): void {}
  }

  test('the trace shows the missing check, and the matchers say so', async () => {
    const unchecked = await startServer(
      createApp(new UncheckedUserService(new AuthService(SESSIONS), db)),
    );
    try {
      let status = 0;
      const trace = await captureTrace(async () => {
        ({ status } = await httpRequest(`${unchecked.url}/api/users/123`));
      });

      // Without a session, and still a 200: only the trace shows why.
      expect(status).toBe(200);
      expect(() => expect(trace).toMatchTraceTree(GET_USER_TREE)).toThrow(
        /no span named "Auth Check" under "User Service"/,
      );
      expect(() =>
        expect(trace).toHaveSpan('{ name = "User Service" } > { name = "Auth Check" }'),
      ).toThrow(/a span to match the selector[\s\S]*none of 4 spans matched/);
    } finally {
      await unchecked.close();
    }
  });
});

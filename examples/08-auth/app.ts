/**
 * The admin API on `node:http`: `GET /api/me` for any signed-in user, `DELETE
 * /api/users/:id` for admins only. The HTTP instrumentation makes the server span; the
 * router names it after the route, and the handlers add who the caller is (`enduser.id`).
 */

import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { trace } from '@opentelemetry/api';
import { sendJson } from '../support/http-server';
import type { TracedDatabase } from '../support/sqlite';
import { AuthenticationError, type Authenticator, type Authorizer } from './auth';

export interface AdminApiDeps {
  readonly authenticator: Authenticator;
  readonly authorizer: Authorizer;
  readonly db: TracedDatabase;
}

const DELETE_USER = /^\/api\/users\/([^/]+)$/;

export function createAdminApi(deps: AdminApiDeps): RequestListener {
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const deleteMatch = DELETE_USER.exec(path);
    let handler: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
    if (req.method === 'GET' && path === '/api/me') {
      route(req, '/api/me');
      handler = (q, s) => me(deps, q, s);
    } else if (req.method === 'DELETE' && deleteMatch) {
      route(req, '/api/users/:id');
      const id = decodeURIComponent(deleteMatch[1] as string);
      handler = (q, s) => deleteUser(deps, id, q, s);
    }
    if (!handler) {
      sendJson(res, 404, { error: 'no such route' });
      return;
    }
    handler(req, res).catch((error: unknown) => {
      if (error instanceof AuthenticationError) {
        res.setHeader('www-authenticate', 'Bearer');
        sendJson(res, 401, { error: 'invalid credentials' });
      } else {
        sendJson(res, 500, { error: 'internal error' });
      }
    });
  };
}

async function me(deps: AdminApiDeps, req: IncomingMessage, res: ServerResponse) {
  const user = await deps.authenticator.authenticate(req.headers.authorization);
  trace.getActiveSpan()?.setAttribute('enduser.id', user.id);
  sendJson(res, 200, user);
}

async function deleteUser(
  deps: AdminApiDeps,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const user = await deps.authenticator.authenticate(req.headers.authorization);
  trace.getActiveSpan()?.setAttribute('enduser.id', user.id);
  if (!deps.authorizer.allows(user, 'admin')) {
    // A refusal is an answer: the status code goes on the server span (the instrumentation
    // records http.response.status_code = 403), no exception is recorded anywhere.
    sendJson(res, 403, { error: 'admin role required' });
    return;
  }
  const deleted = deps.db.execute('DELETE FROM users WHERE id = $id', { id });
  if (deleted === 0) sendJson(res, 404, { error: `user ${id} not found` });
  else {
    res.writeHead(204);
    res.end();
  }
}

/** What a web framework does once it has matched a route. */
function route(req: IncomingMessage, template: string): void {
  const span = trace.getActiveSpan();
  span?.setAttribute('http.route', template);
  span?.updateName(`${req.method} ${template}`);
}

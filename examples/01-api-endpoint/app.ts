/**
 * The HTTP API: `GET /api/users/:id` on a plain `node:http` server. The HTTP
 * instrumentation creates the server span; the router names it after the route
 * (`GET /api/users/:id`, as the semantic conventions ask: the id would make every request
 * a span name of its own) and sets `http.route`, as web frameworks do.
 */

import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { trace } from '@opentelemetry/api';
import { sendJson } from '../support/http-server';
import { NotAllowed, NotAuthenticated } from './auth';
import type { UserService } from './user-service';

const USER_ROUTE = /^\/api\/users\/([^/]+)$/;

export function createApp(users: UserService): RequestListener {
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const match = USER_ROUTE.exec(path);
    if (req.method === 'GET' && match) {
      route(req, '/api/users/:id');
      getUser(users, decodeURIComponent(match[1] as string), req, res).catch((error: unknown) => {
        // The instrumentation marks the server span as failed for a 5xx; the exception says why.
        trace.getActiveSpan()?.recordException(error as Error);
        sendJson(res, 500, { error: 'internal error' });
      });
      return;
    }
    sendJson(res, 404, { error: 'no such route' });
  };
}

async function getUser(
  users: UserService,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const user = await users.getUser(id, req.headers.authorization);
    if (user) sendJson(res, 200, user);
    else sendJson(res, 404, { error: `user ${id} not found` });
  } catch (error) {
    if (error instanceof NotAuthenticated) sendJson(res, 401, { error: error.message });
    else if (error instanceof NotAllowed) sendJson(res, 403, { error: error.message });
    else throw error;
  }
}

/** What a web framework does once it has matched a route. */
function route(req: IncomingMessage, template: string): void {
  const span = trace.getActiveSpan();
  span?.setAttribute('http.route', template);
  span?.updateName(`${req.method} ${template}`);
}

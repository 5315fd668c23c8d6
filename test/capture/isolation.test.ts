/**
 * Each test sees only the spans it caused: serial tests, spans that outlive their test,
 * an in-process server shared by the file, and test.concurrent bodies that interleave.
 *
 * The concurrent tests are interleaved deterministically with gates, so that at every span
 * start the "other" test is running too (and, for some spans, is the most recently started
 * one). Attribution by "the test running now" or "the last test that started" fails them;
 * only attribution by the test's own async context passes.
 */

import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { captureTrace, currentCapture, currentTraces } from '../../src/capture';
import { setupJestCapture } from '../../src/capture/jest-wiring';

setupJestCapture();

const tracer = () => trace.getTracer('isolation-test');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const names = () =>
  currentTraces()
    .flatMap((t) => t.spans.map((s) => s.name))
    .sort();

describe('serial tests', () => {
  test('first: leaves a timer and an open span behind', async () => {
    tracer().startSpan('first: own').end();
    const lingering = tracer().startSpan('first: ends during second');
    setTimeout(() => {
      tracer().startSpan('first: started during second').end();
      lingering.end();
    }, 30);
    expect(names()).toEqual(['first: own']);
  });

  test('second: sees none of the first test’s spans, even those ending now', async () => {
    tracer().startSpan('second: own').end();
    await sleep(60);
    expect(names()).toEqual(['second: own']);
    expect(currentCapture().openSpans).toEqual([]);
  });

  test('a span started in beforeEach-less code paths of this test is this test’s', async () => {
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        tracer().startSpan('from setImmediate').end();
        resolve();
      }),
    );
    process.nextTick(() => tracer().startSpan('from nextTick').end());
    await sleep(1);
    expect(names()).toEqual(['from nextTick', 'from setImmediate']);
  });
});

describe('an in-process server started in beforeAll', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    // Instrumented by hand the way instrumentation-http does it: extract the caller's
    // context from the headers (a remote parent), start a server span on it.
    server = createServer((req, res) => {
      const parent = propagation.extract(context.active(), req.headers);
      const span = tracer().startSpan(`server ${req.url}`, { kind: SpanKind.SERVER }, parent);
      setTimeout(() => {
        span.end();
        res.end('ok');
      }, 5);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** A client span that sends its context along, as an instrumented client would. */
  function call(path: string, withContext = true): Promise<void> {
    return tracer().startActiveSpan(`client ${path}`, { kind: SpanKind.CLIENT }, (span) => {
      const headers: Record<string, string> = {};
      if (withContext) propagation.inject(context.active(), headers);
      return new Promise<void>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
          res.resume();
          res.on('end', () => {
            span.end();
            resolve();
          });
        });
        req.on('error', reject);
        req.end();
      });
    });
  }

  test('the server span joins the calling test’s trace (its trace id is the test’s)', async () => {
    const t = await captureTrace(() => call('/joined'));
    expect(t.spans.map((s) => [t.depthOf(s), s.name, s.kind])).toEqual([
      [0, 'client /joined', 'client'],
      [1, 'server /joined', 'server'],
    ]);
  });

  test('without trace context the server span goes to the serially running test', async () => {
    await call('/no-context', false);
    expect(names()).toEqual(['client /no-context', 'server /no-context']);
    // Two traces: nothing links them, but both are this test's.
    expect(currentTraces()).toHaveLength(2);
  });

  describe('from concurrent tests', () => {
    test.concurrent.each(['a', 'b', 'c'])('%s sees its own client and server spans', async (id) => {
      await call(`/concurrent-${id}`);
      await sleep(10);
      expect(names()).toEqual([`client /concurrent-${id}`, `server /concurrent-${id}`]);
    });
  });
});

/** A promise opened once by another test. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('test.concurrent', () => {
  const aStarted = gate();
  const bStarted = gate();
  const aSecondRoot = gate();
  const bDone = gate();

  test.concurrent('A: spans interleaved with B', async () => {
    await tracer().startActiveSpan('A root', async (root) => {
      aStarted.open();
      await bStarted.opened; // B has started its spans: it is the most recent test now
      tracer().startSpan('A child after B started').end();
      // A new root in A's async context, with no parent to inherit a scope from.
      tracer().startSpan('A second root', { root: true }).end();
      aSecondRoot.open();
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          tracer().startSpan('A from timer').end();
          resolve();
        }, 5),
      );
      await bDone.opened; // end after B finished entirely
      root.end();
    });
    expect(names()).toEqual(['A child after B started', 'A from timer', 'A root', 'A second root']);
  });

  test.concurrent('B: spans interleaved with A', async () => {
    await aStarted.opened; // A's root is open
    const root = tracer().startSpan('B root');
    bStarted.open();
    await aSecondRoot.opened;
    // A started the latest span; this new root must still be B's.
    tracer().startSpan('B second root').end();
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        root.end();
        resolve();
      }, 1),
    );
    expect(names()).toEqual(['B root', 'B second root']);
    bDone.open();
  });

  test.concurrent('captureTrace inside concurrent tests stays apart', async () => {
    const [x, y] = await Promise.all([
      captureTrace(async () => {
        await sleep(5);
        tracer().startSpan('x').end();
      }),
      captureTrace(async () => {
        tracer().startSpan('y').end();
        await sleep(5);
      }),
    ]);
    expect(x.spans.map((s) => s.name)).toEqual(['x']);
    expect(y.spans.map((s) => s.name)).toEqual(['y']);
    expect(names()).toEqual(['x', 'y']);
  });
});

describe('outside a test', () => {
  let error: unknown;
  beforeAll(() => {
    try {
      currentTraces();
    } catch (e) {
      error = e;
    }
  });

  test('currentTraces() in beforeAll explains that only tests have spans', () => {
    expect(String(error)).toContain('currentTraces() was called outside a test');
  });
});

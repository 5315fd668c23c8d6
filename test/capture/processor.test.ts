/**
 * The processor's attribution rules on hand-made SDK spans, one rule at a time (the other
 * test files exercise them through the real SDK and Jest).
 */

import { describe, expect, test } from '@jest/globals';
import { SCOPE_KEY } from '../../src/capture/attribution';
import type { ContextLike, ReadableSpanLike } from '../../src/capture/otel-types';
import { CaptureProcessor } from '../../src/capture/processor';
import { CaptureScope } from '../../src/capture/scope';

const TRACE_A = 'a'.repeat(32);
const TRACE_B = 'b'.repeat(32);
let nextId = 1;

function context(scope?: CaptureScope): ContextLike {
  const values = new Map<symbol, unknown>();
  if (scope) values.set(SCOPE_KEY, scope);
  const ctx: ContextLike = {
    getValue: (key) => values.get(key),
    setValue: () => ctx,
  };
  return ctx;
}

function span(
  name: string,
  traceId: string,
  parent?: { spanId: string; isRemote?: boolean },
): ReadableSpanLike {
  const spanId = (nextId++).toString(16).padStart(16, '0');
  return {
    name,
    kind: 0,
    spanContext: () => ({ traceId, spanId }),
    parentSpanContext: parent ? { traceId, ...parent } : undefined,
    startTime: [1, 0],
    endTime: [2, 0],
    status: { code: 0 },
    attributes: {},
    links: [],
    events: [],
    resource: { attributes: { 'service.name': 'svc' } },
    instrumentationScope: { name: 'test' },
  };
}

const idOf = (s: ReadableSpanLike) => s.spanContext().spanId;
const namesIn = (scope: CaptureScope) => scope.spans.map((s) => s.name);

function setup(ambient?: CaptureScope) {
  const processor = new CaptureProcessor();
  processor.ambientScope = () => ambient;
  const run = (s: ReadableSpanLike, ctx: ContextLike = context()) => {
    processor.onStart(s, ctx);
    return s;
  };
  return { processor, run };
}

describe('attribution', () => {
  test('the scope in the parent context wins over the ambient one', () => {
    const test1 = new CaptureScope('test');
    const capture = new CaptureScope('captureTrace');
    const { processor, run } = setup(test1);
    const s = run(span('explicit', TRACE_A), context(capture));
    processor.onEnd(s);
    expect(namesIn(capture)).toEqual(['explicit']);
    expect(namesIn(test1)).toEqual([]);
  });

  test('a child of an open local span goes where the parent went', () => {
    const owner = new CaptureScope('owner');
    const other = new CaptureScope('other');
    let ambient = owner;
    const processor = new CaptureProcessor();
    processor.ambientScope = () => ambient;
    const parent = span('parent', TRACE_A);
    processor.onStart(parent, context());
    ambient = other; // the child starts while another test's code runs
    const child = span('child', TRACE_A, { spanId: idOf(parent) });
    processor.onStart(child, context());
    processor.onEnd(child);
    processor.onEnd(parent);
    expect(namesIn(owner)).toEqual(['child', 'parent']);
    expect(namesIn(other)).toEqual([]);
  });

  test('a remote parent joins the scope that owns the trace id', () => {
    const test1 = new CaptureScope('test');
    const { processor, run } = setup(test1);
    const client = run(span('client', TRACE_A));
    processor.ambientScope = () => undefined; // the server runs outside any test
    const server = run(span('server', TRACE_A, { spanId: idOf(client), isRemote: true }));
    processor.onEnd(server);
    processor.onEnd(client);
    expect(namesIn(test1)).toEqual(['server', 'client']);
  });

  test('a child of a parent that ended already joins the trace’s owner', () => {
    const test1 = new CaptureScope('test');
    const { processor, run } = setup(test1);
    const parent = run(span('parent', TRACE_A));
    processor.onEnd(parent);
    processor.ambientScope = () => undefined;
    processor.onEnd(run(span('late child', TRACE_A, { spanId: idOf(parent) })));
    expect(namesIn(test1)).toEqual(['parent', 'late child']);
  });

  test('children of a long-lived unattributed span do not claim its trace', () => {
    const a = new CaptureScope('a');
    const b = new CaptureScope('b');
    const { processor, run } = setup(undefined);
    const shared = run(span('started in beforeAll', TRACE_A));
    processor.ambientScope = () => a;
    processor.onEnd(run(span('from a', TRACE_A, { spanId: idOf(shared) })));
    processor.ambientScope = () => b;
    processor.onEnd(run(span('from b', TRACE_A, { spanId: idOf(shared) })));
    expect(namesIn(a)).toEqual(['from a']);
    expect(namesIn(b)).toEqual(['from b']);
    processor.onEnd(shared);
    expect(processor.unattributed.count).toBe(1);
    expect(processor.unattributed.recent).toEqual(['"started in beforeAll" (svc)']);
  });

  test('a released capture hands its traces to the enclosing test', () => {
    const test1 = new CaptureScope('test');
    const capture = new CaptureScope('captureTrace', test1);
    const { processor, run } = setup(undefined);
    const root = run(span('root', TRACE_B), context(capture));
    processor.onEnd(root);
    processor.releaseScope(capture);
    const late = run(span('late server', TRACE_B, { spanId: idOf(root), isRemote: true }));
    processor.onEnd(late);
    expect(namesIn(capture)).toEqual(['root']);
    expect(namesIn(test1)).toEqual(['root', 'late server']);
  });
});

describe('robustness', () => {
  test('a processor listed twice records each span once', async () => {
    const scope = new CaptureScope('test');
    const { processor, run } = setup(scope);
    const s = span('once', TRACE_A);
    run(s);
    run(s);
    processor.onEnd(s);
    processor.onEnd(s);
    expect(namesIn(scope)).toEqual(['once']);
    expect(await scope.whenIdle(0)).toEqual([]);
  });

  test('a span it cannot convert becomes a problem of its scope, never an exception', () => {
    const scope = new CaptureScope('test');
    const { processor, run } = setup(scope);
    const bad = {
      ...span('bad', TRACE_A),
      get links(): never {
        throw new Error('links exploded');
      },
    };
    run(bad);
    expect(() => processor.onEnd(bad)).not.toThrow();
    expect(scope.problems).toEqual(['could not record span "bad": Error: links exploded']);
    expect(scope.openSpans).toEqual([]);
  });

  test('a span whose start cannot be read is a problem of the ambient scope', () => {
    const scope = new CaptureScope('test');
    const { processor } = setup(scope);
    const broken = {
      ...span('broken', TRACE_A),
      spanContext: () => {
        throw new Error('no context');
      },
    };
    expect(() => processor.onStart(broken, context())).not.toThrow();
    expect(() => processor.onEnd(broken)).not.toThrow();
    expect(scope.problems[0]).toBe(
      'could not record the start of span "broken": Error: no context',
    );
  });

  test('a span that ends without having started here is filed by its trace', () => {
    const scope = new CaptureScope('test');
    const { processor, run } = setup(scope);
    const root = run(span('root', TRACE_A));
    const unseen = span('started before attach', TRACE_A, { spanId: idOf(root) });
    processor.onEnd(unseen);
    processor.onEnd(span('nobody’s', TRACE_B));
    processor.onEnd(root);
    expect(namesIn(scope)).toEqual(['started before attach', 'root']);
    expect(processor.unattributed.count).toBe(1);
  });
});

describe('CaptureScope', () => {
  test('whenIdle resolves when the last open span ends, or with those still open', async () => {
    const scope = new CaptureScope('test');
    const { processor, run } = setup(scope);
    const a = run(span('a', TRACE_A));
    const b = run(span('b', TRACE_A));
    const idle = scope.whenIdle(5_000);
    processor.onEnd(a);
    processor.onEnd(b);
    expect(await idle).toEqual([]);
    run(span('forever', TRACE_A));
    expect((await scope.whenIdle(10)).map((s) => s.name)).toEqual(['forever']);
  });

  test('a nested scope files its spans in its ancestors too', () => {
    const outer = new CaptureScope('test');
    const inner = new CaptureScope('captureTrace', outer);
    const { processor, run } = setup(undefined);
    processor.onEnd(run(span('inner', TRACE_A), context(inner)));
    expect(namesIn(outer)).toEqual(['inner']);
    expect(outer.traces().map((t) => t.root?.name)).toEqual(['inner']);
  });
});

/**
 * installCapture: the default provider, attaching to a provider the user configured, what
 * happens when something is already registered, and undoing it all.
 *
 * No Jest wiring here: each test installs and uninstalls on this file's global itself.
 */

import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { context, type ProxyTracerProvider, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  CaptureSetupError,
  captureProcessor,
  captureTrace,
  installCapture,
  uninstallCapture,
} from '../../src/capture';
import { captureRuntime } from '../../src/capture/runtime';

const work = () => trace.getTracer('install-test').startSpan('work').end();

afterEach(async () => {
  await uninstallCapture();
  // Leave the API as a fresh process has it.
  trace.disable();
  context.disable();
  propagation.disable();
});

// Compile-time: the processor fits the SDK's own SpanProcessor type.
const typed: SpanProcessor = captureProcessor();
void typed;

describe('installCapture() with no provider', () => {
  test('is idempotent: a second call returns the same installation', async () => {
    const first = installCapture();
    expect(installCapture()).toBe(first);
    const t = await captureTrace(work);
    expect(t.spans.map((s) => s.name)).toEqual(['work']);
  });

  test('passes providerOptions to the provider, keeping its processor first', async () => {
    const exporter = new InMemorySpanExporter();
    installCapture({
      providerOptions: {
        resource: resourceFromAttributes({ 'service.name': 'checkout' }),
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      },
    });
    const t = await captureTrace(work);
    expect(t.root?.service).toBe('checkout');
    // The user's own processor saw the span too (and was flushed).
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['work']);
  });

  test('keeps a context manager and propagator that are already registered', () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    const installation = installCapture();
    expect(installation.notes).toEqual(
      expect.arrayContaining(['kept the context manager that was registered']),
    );
  });

  test('refuses, explaining, when another provider is registered', () => {
    trace.setGlobalTracerProvider(new ForeignProvider());
    expect(() => installCapture()).toThrow(CaptureSetupError);
    expect(() => installCapture()).toThrow(
      /a tracer provider \(ForeignProvider\) is already registered[\s\S]*installCapture\(\{ provider \}\)[\s\S]*installCapture\(\{ replace: true \}\)/,
    );
    // Nothing half-done: the context manager was not registered either.
    expect(captureRuntime().installation).toBeUndefined();
  });

  test('replace: true takes over from another provider, and uninstalling gives it back', async () => {
    const foreign = new ForeignProvider();
    trace.setGlobalTracerProvider(foreign);
    const installation = installCapture({ replace: true });
    expect(installation.notes).toContain('replaced the global tracer provider (ForeignProvider)');
    expect((await captureTrace(work)).spans).toHaveLength(1);
    await uninstallCapture();
    expect((trace.getTracerProvider() as ProxyTracerProvider).getDelegate()).toBe(foreign);
  });
});

describe('installCapture({ provider })', () => {
  test('with captureProcessor() in spanProcessors: the documented way', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [captureProcessor(), new SimpleSpanProcessor(exporter)],
    });
    const installation = installCapture({ provider });
    expect(installation).toMatchObject({ mode: 'attached', attachedBy: 'constructor' });
    expect(installation.notes).toContain(
      'registered BasicTracerProvider as the global tracer provider',
    );
    expect((await captureTrace(work)).spans.map((s) => s.name)).toEqual(['work']);
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });

  test('without it: appended to the provider’s processor list, removed on uninstall', async () => {
    const exporter = new InMemorySpanExporter();
    const theirs = [new SimpleSpanProcessor(exporter)];
    const provider = new BasicTracerProvider({ spanProcessors: theirs });
    trace.setGlobalTracerProvider(provider); // registered by the user already
    const installation = installCapture({ provider });
    expect(installation.attachedBy).toBe('processor-list');
    expect(installation.notes).toContain('the provider was already the global tracer provider');
    expect((await captureTrace(work)).spans.map((s) => s.name)).toEqual(['work']);
    expect(theirs).toHaveLength(1); // the user's array is not modified
    await uninstallCapture();
    work();
    expect(captureRuntime().processor.startedCount).toBe(0);
    expect(exporter.getFinishedSpans()).toHaveLength(2);
  });

  test('accepts the API’s proxy and attaches to the provider behind it', () => {
    const provider = new BasicTracerProvider();
    trace.setGlobalTracerProvider(provider);
    expect(installCapture({ provider: trace.getTracerProvider() }).provider).toBe(provider);
  });

  test('explains how to construct a provider it cannot attach to', () => {
    expect(() => installCapture({ provider: new ForeignProvider() })).toThrow(
      /cannot add its span processor to ForeignProvider[\s\S]*spanProcessors: \[captureProcessor\(\), \.\.\.yourProcessors\][\s\S]*installCapture\(\{ provider \}\)/,
    );
  });

  test('refuses a provider that is not the registered one, unless replace', async () => {
    trace.setGlobalTracerProvider(new ForeignProvider());
    const provider = new BasicTracerProvider({ spanProcessors: [captureProcessor()] });
    expect(() => installCapture({ provider })).toThrow(
      /another tracer provider \(ForeignProvider\) is registered[\s\S]*not to the provider you passed/,
    );
    installCapture({ provider, replace: true });
    expect((await captureTrace(work)).spans).toHaveLength(1);
  });

  test('switching providers needs replace: true', async () => {
    installCapture();
    const provider = new BasicTracerProvider({ spanProcessors: [captureProcessor()] });
    expect(() => installCapture({ provider })).toThrow(
      /capture is already installed with the provider tracespec created \(@opentelemetry\/sdk-trace-base\)[\s\S]*\{ replace: true \}/,
    );
    const switched = installCapture({ provider, replace: true });
    expect(switched.mode).toBe('attached');
    expect(installCapture({ provider })).toBe(switched);
    expect((await captureTrace(work)).spans).toHaveLength(1);
  });
});

describe('uninstallCapture', () => {
  test('unregisters what it registered; captureTrace installs again on demand', async () => {
    installCapture();
    await uninstallCapture();
    expect(captureRuntime().installation).toBeUndefined();
    expect(trace.setGlobalTracerProvider(new ForeignProvider())).toBe(true);
    trace.disable();
    expect((await captureTrace(work)).spans).toHaveLength(1);
    expect(captureRuntime().installation?.mode).toBe('default');
  });

  test('another copy of tracespec (jest.isolateModules) uses the same capture', async () => {
    installCapture();
    let copy: typeof import('../../src/capture') | undefined;
    jest.isolateModules(() => {
      copy = require('../../src/capture');
    });
    expect(copy?.installCapture).not.toBe(installCapture);
    expect(copy?.captureProcessor()).toBe(captureProcessor());
    const t = await (copy as typeof import('../../src/capture')).captureTrace(work);
    expect(t.spans.map((s) => s.name)).toEqual(['work']);
  });
});

describe('missing packages', () => {
  afterEach(() => {
    jest.dontMock('@opentelemetry/sdk-trace-base');
    jest.dontMock('@opentelemetry/sdk-trace');
  });

  function notFound(name: string): never {
    const error = new Error(`Cannot find module '${name}' from 'src/capture/otel-load.ts'`);
    (error as { code?: string }).code = 'MODULE_NOT_FOUND';
    throw error;
  }

  test('no SDK: the message names both lines’ packages and the alternative', () => {
    jest.doMock('@opentelemetry/sdk-trace-base', () => notFound('@opentelemetry/sdk-trace-base'));
    jest.doMock('@opentelemetry/sdk-trace', () => notFound('@opentelemetry/sdk-trace'));
    expect(() => installCapture()).toThrow(
      /neither @opentelemetry\/sdk-trace-base \(2\.x\) nor @opentelemetry\/sdk-trace \(3\.x\)[\s\S]*2\.x: npm install --save-dev @opentelemetry\/api@\^1\.9 @opentelemetry\/sdk-trace-base@\^2[\s\S]*3\.x: npm install --save-dev @opentelemetry\/api@\^1\.10 @opentelemetry\/sdk-trace@\^3[\s\S]*installCapture\(\{ provider \}\)/,
    );
  });

  test('only the 3.x package: its TracerProvider is used', async () => {
    jest.doMock('@opentelemetry/sdk-trace-base', () => notFound('@opentelemetry/sdk-trace-base'));
    const installation = installCapture();
    expect(installation.sdkPackage).toBe('@opentelemetry/sdk-trace');
    expect((await captureTrace(work)).spans).toHaveLength(1);
  });

  test('a package that fails to load is reported as such, not as missing', () => {
    jest.doMock('@opentelemetry/sdk-trace-base', () => {
      throw new SyntaxError('Unexpected token');
    });
    expect(() => installCapture()).toThrow(
      '@opentelemetry/sdk-trace-base is installed but failed to load: SyntaxError: Unexpected token',
    );
  });
});

/** A provider from some other SDK: tracespec cannot reach its processors. */
class ForeignProvider {
  getTracer() {
    return new BasicTracerProvider().getTracer('foreign');
  }
}

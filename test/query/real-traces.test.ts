import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { parseTraces } from '../../src/ingest';
import type { Trace } from '../../src/model';
import { select } from '../../src/query';
import { realFixture } from '../helpers/fixtures';
import { names } from './helpers';

function only(path: string): Trace {
  const traces = parseTraces(readFileSync(realFixture(path)));
  expect(traces).toHaveLength(1);
  return traces[0] as Trace;
}

describe('OpenTelemetry Demo: a checkout that times out behind Envoy', () => {
  const trace = only('jaeger-skills/error_timeout_masked.json');
  const pick = (selector: string) => names(select(trace, selector));

  test('the error and what hangs below the checkout', () => {
    expect(pick('{ status = error }')).toEqual(['POST']);
    expect(
      pick(
        '{ resource.service.name = "load-generator" && name = "user_checkout_multi" } >> { duration > 10s }',
      ),
    ).toEqual(['POST', 'router frontend egress', 'POST']);
    expect(
      pick('{ traceDuration > 15s && rootServiceName = "load-generator" } | count() = 26'),
    ).toHaveLength(26);
  });

  test('types from the conventions each instrumentation used', () => {
    expect(pick('{ type = cache }')).toEqual(Array(4).fill('valkey-cart:6379'));
    expect(pick('{ type = database }')).toEqual(['astronomy-db']);
    expect(pick('{ type = rpc }')).toEqual([
      'oteldemo.ProductCatalogService/GetProduct',
      'oteldemo.ProductCatalogService/GetProduct',
      'oteldemo.CartService/AddItem',
      'oteldemo.CartService/GetCart',
    ]);
    expect(
      pick('{ name = "POST /oteldemo.CartService/AddItem" } > { type = cache } | count() = 3'),
    ).toHaveLength(3);
    expect(pick('{ type = cache } < { }')).toEqual([
      'POST /oteldemo.CartService/AddItem',
      'POST /oteldemo.CartService/GetCart',
    ]);
  });

  test('Envoy writes status codes as strings, Next.js as ints; types never mix, as in Tempo', () => {
    expect(pick('{ span.http.status_code = "504" }')).toEqual(['POST']);
    expect(pick('{ span.http.status_code >= 500 }')).toEqual([]);
    expect(pick('{ span.http.status_code = 200 && kind = server }')).toEqual([
      'GET /api/products/[productId]/index',
      'POST /api/cart',
    ]);
  });
});

describe('HotROD: an N+1 of driver lookups', () => {
  const trace = only('jaeger-skills/n_plus_one_positive.json');
  const pick = (selector: string) => names(select(trace, selector));

  test('the repeated children of one server span', () => {
    expect(
      pick(
        '{ name = "driver.DriverService/FindNearest" && kind = server } > { name = "GetDriver" } | count() > 10',
      ),
    ).toHaveLength(13);
    expect(
      pick('{ name = "GetDriver" && status = error && statusMessage = "An error occurred" }'),
    ).toHaveLength(3);
    expect(
      pick('{ rootName = "GET /dispatch" && rootServiceName = "frontend" && name = "GetDriver" }'),
    ).toHaveLength(13);
    expect(pick('{ name = "GetDriver" } | avg(duration) < 20ms')).toHaveLength(13);
    expect(
      pick('{ name = "GetDriver" && status = error } ~ { name = "GetDriver" && status != error }'),
    ).toHaveLength(10);
  });
});

describe("the OTLP specification's example", () => {
  test('one server span whose parent never arrived', () => {
    const trace = only('otlp-proto/trace.json');
    expect(names(select(trace, '{ span.my.span.attr = "some value" && kind = server }'))).toEqual([
      "I'm a server span",
    ]);
    expect(
      select(
        trace,
        '{ resource.service.name = "my.service" && instrumentation:name = "my.library" }',
      ),
    ).toHaveLength(1);
    expect(select(trace, '{ span:parentID = "eee19b7ec3c1b173" && duration = 1s }')).toHaveLength(
      1,
    );
    expect(select(trace, '{ } ~ { }')).toEqual([]);
  });
});

import { describe, expect, test } from '@jest/globals';
import { InputError } from '../../src/errors';
import { compileGroupKey, NO_VALUE } from '../../src/slo';
import { traceOf } from '../helpers/traces';

const trace = traceOf([
  {
    id: '1',
    name: 'POST /api/checkout',
    service: 'api-gateway',
    kind: 'server',
    start: 0,
    end: 352,
    attributes: { 'http.route': '/api/checkout', 'http.response.status_code': 200 },
    resource: { 'deployment.environment': 'prod', region: 'eu-west-1' },
  },
  {
    id: '2',
    parent: '1',
    name: 'Payment Gateway API',
    service: 'payments',
    kind: 'client',
    start: 10,
    end: 290,
    error: 'card declined',
    attributes: { region: 'us-east-1', tags: ['card', 'visa'], retries: 2n ** 60n },
  },
]);
const [root, payment] = trace.spans as [(typeof trace.spans)[0], (typeof trace.spans)[0]];

const keyOf = (text: string, span = payment) => compileGroupKey(text)(span, trace);

describe('compileGroupKey', () => {
  test('service is the resource service.name', () => {
    expect(keyOf('service')).toBe('payments');
    expect(keyOf('service', root)).toBe('api-gateway');
  });

  test('intrinsics, in both the old and the scoped form', () => {
    expect(keyOf('name')).toBe('Payment Gateway API');
    expect(keyOf('span:name')).toBe('Payment Gateway API');
    expect(keyOf('kind')).toBe('client');
    expect(keyOf('status')).toBe('error');
    expect(keyOf('rootName')).toBe('POST /api/checkout');
    expect(keyOf('trace:rootService')).toBe('api-gateway');
    expect(keyOf('rootServiceName')).toBe('api-gateway');
    expect(keyOf('duration')).toBe('280000000');
  });

  test('scoped attributes read only their scope', () => {
    expect(keyOf('span.http.route', root)).toBe('/api/checkout');
    expect(keyOf('span.http.response.status_code', root)).toBe('200');
    expect(keyOf('resource.deployment.environment', root)).toBe('prod');
    expect(keyOf('resource.http.route', root)).toBe(NO_VALUE);
    expect(keyOf('span.deployment.environment', root)).toBe(NO_VALUE);
  });

  test('an unscoped .attr reads the span first, then the resource, as TraceQL does', () => {
    expect(keyOf('.region', root)).toBe('eu-west-1');
    expect(keyOf('.region', payment)).toBe('us-east-1');
    expect(keyOf('.deployment.environment', root)).toBe('prod');
  });

  test('a missing value groups as (none); arrays and big integers print as JSON and digits', () => {
    expect(keyOf('span.http.route')).toBe('(none)');
    expect(keyOf('span.tags')).toBe('["card","visa"]');
    expect(keyOf('span.retries')).toBe('1152921504606846976');
  });

  test('an unknown intrinsic is an input error that suggests the likely one', () => {
    expect(() => compileGroupKey('nmae')).toThrow(InputError);
    expect(() => compileGroupKey('nmae')).toThrow(
      'unknown group_by key "nmae"; did you mean "name"? A group_by key is an intrinsic',
    );
    expect(() => compileGroupKey('servcie')).toThrow('did you mean "service"?');
    expect(() => compileGroupKey('xyzzy')).toThrow(
      /^unknown group_by key "xyzzy"\. A group_by key is an intrinsic \(name, kind, status, rootName, rootServiceName, \.\.\.\), service, resource\.<attribute>, span\.<attribute> or \.<attribute>$/,
    );
  });

  test('an attribute written without its scope gets the scoped spellings suggested', () => {
    expect(() => compileGroupKey('service.name')).toThrow(
      'unknown group_by key "service.name"; did you mean the attribute ".service.name" (or "resource.service.name", "span.service.name")?',
    );
  });

  test('empty attribute names and unsupported intrinsics are named', () => {
    expect(() => compileGroupKey('resource.')).toThrow('group_by "resource." names no attribute');
    expect(() => compileGroupKey('.')).toThrow('group_by "." names no attribute');
    expect(() => compileGroupKey('parent')).toThrow(
      'tracespec does not support the intrinsic "parent"',
    );
  });

  test('the error points at the location it is given', () => {
    expect(() => compileGroupKey('nmae', { file: 'specs/a.yaml', line: 3, column: 7 })).toThrow(
      /^specs\/a\.yaml:3:7: unknown group_by key "nmae"/,
    );
  });
});

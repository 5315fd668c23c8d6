import { expect, test } from '@jest/globals';
import type { Attributes } from '../../src/model';
import { type SpanType, spanType } from '../../src/query';
import { spanOf } from './helpers';

const typeOf = (attributes: Attributes, resource?: Attributes) =>
  spanType(spanOf({ id: '1', attributes, resource }));

test.each<[string, Attributes, SpanType]>([
  ['no attributes', {}, 'general'],
  ['old HTTP conventions', { 'http.method': 'GET', 'http.url': 'http://x/' }, 'http'],
  ['new HTTP conventions', { 'http.request.method': 'GET' }, 'http'],
  ['a route alone', { 'http.route': '/users/:id' }, 'http'],
  ['url.full alone', { 'url.full': 'https://api/x' }, 'http'],
  ['a status code alone', { 'http.response.status_code': 503 }, 'http'],
  ['db.system', { 'db.system': 'postgresql', 'db.statement': 'SELECT 1' }, 'database'],
  ['db.system.name', { 'db.system.name': 'mysql' }, 'database'],
  [
    'Elasticsearch over HTTP is a database call',
    { 'db.system': 'elasticsearch', 'url.full': 'http://es:9200/_search' },
    'database',
  ],
  [
    'DynamoDB through the AWS SDK is a database call',
    { 'db.system': 'dynamodb', 'rpc.system': 'aws-api' },
    'database',
  ],
  ['redis is a cache', { 'db.system': 'redis' }, 'cache'],
  ['Memcached, any case', { 'db.system.name': 'Memcached' }, 'cache'],
  ['valkey', { 'db.system.name': 'valkey' }, 'cache'],
  [
    'a database span with cache attributes',
    { 'db.system': 'other_sql', 'cache.hit': true },
    'cache',
  ],
  ['a hand-made cache span', { 'app.cache.hit': false, 'cache.key': 'user:1' }, 'cache'],
  [
    'an HTTP span that notes a cache hit stays HTTP',
    { 'http.request.method': 'GET', 'cache.hit': true },
    'http',
  ],
  ['messaging.system', { 'messaging.system': 'kafka' }, 'messaging'],
  [
    'SQS through the AWS SDK is messaging',
    { 'messaging.system': 'aws_sqs', 'rpc.system': 'aws-api', 'http.request.method': 'POST' },
    'messaging',
  ],
  ['rpc.system', { 'rpc.system': 'grpc' }, 'rpc'],
  ['rpc.system.name', { 'rpc.system.name': 'grpc' }, 'rpc'],
  [
    'gRPC with HTTP attributes is RPC',
    { 'rpc.system': 'grpc', 'http.request.method': 'POST', 'url.full': 'http://x/svc/M' },
    'rpc',
  ],
  [
    'a Lambda behind API Gateway is FaaS',
    { 'faas.trigger': 'http', 'http.request.method': 'GET', 'http.route': '/x' },
    'faas',
  ],
  [
    'invoking a function through the AWS SDK is FaaS',
    { 'faas.invoked_name': 'fn', 'rpc.system': 'aws-api' },
    'faas',
  ],
  [
    'a Lambda triggered by a queue is a consumer first',
    { 'faas.trigger': 'pubsub', 'messaging.system': 'aws_sqs' },
    'messaging',
  ],
  ['a null db.system does not count', { 'db.system': null }, 'general'],
])('%s', (_, attributes, expected) => {
  expect(typeOf(attributes)).toBe(expected);
});

test('resource attributes do not make a span typed', () => {
  expect(typeOf({}, { 'db.system': 'postgresql', 'faas.trigger': 'http' })).toBe('general');
});

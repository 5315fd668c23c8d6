import { describe, expect, test } from '@jest/globals';
import { toHaveCapacityWithin } from '../../matchers';
import { traceOf } from '../helpers/traces';
import { failureOf } from './helpers';

expect.extend({ toHaveCapacityWithin });

const trace = traceOf([
  { id: 'a', name: 'GET /report', service: 'api', start: 0, end: 100 },
  { id: 'b', parent: 'a', name: 'SELECT', service: 'db', start: 10, end: 90 },
]);

describe('toHaveCapacityWithin', () => {
  test('passes within the limits, and says which limit broke otherwise', () => {
    expect(trace).toHaveCapacityWithin({ service: 'db', maxSelfShare: 0.8 });
    const message = failureOf(() =>
      expect(trace).toHaveCapacityWithin({ service: 'db', maxSelfShare: 0.5 }),
    );
    expect(message).toContain('✗ db: self share <= 50%');
    expect(message).toContain('    db: self share 80%, over 50%');
    expect(message).toContain('  api: self share 20.0%');
  });

  test('.not passes when a limit is exceeded', () => {
    expect(trace).not.toHaveCapacityWithin({ service: '*', maxSelfShare: 0.5 });
    expect(
      failureOf(() => expect(trace).not.toHaveCapacityWithin({ service: 'db', maxSelfShare: 0.9 })),
    ).toContain('every limit holds');
  });

  test('a service with no spans is an error either way, with the nearest name', () => {
    for (const assertion of [
      () => expect(trace).toHaveCapacityWithin({ service: 'dbs', maxErrorRate: 0 }),
      () => expect(trace).not.toHaveCapacityWithin({ service: 'dbs', maxErrorRate: 0 }),
    ]) {
      expect(failureOf(assertion)).toMatch(/no span belongs to service "dbs"; did you mean "db"\?/);
    }
  });
});

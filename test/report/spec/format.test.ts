import { describe, expect, test } from '@jest/globals';
import { metricJson, metricUnit } from '../../../src/report/spec';
import { displayPath, formatMetric } from '../../../src/report/spec/format';
import { sloRows } from '../../../src/report/spec/slos';
import { formatPercent } from '../../../src/slo/format';
import { byServiceSlo, regressionSlo, tooFewSlo } from './results';

describe('formatMetric', () => {
  test('durations, error rates, counts and rates in the words people use', () => {
    expect(formatMetric('p95', 312e6)).toBe('312ms');
    expect(formatMetric('max', 1.5e9)).toBe('1.5s');
    expect(formatMetric('error_rate', 0.025)).toBe('2.5%');
    expect(formatMetric('error_rate', 0)).toBe('0%');
    expect(formatMetric('count', 480)).toBe('480');
    expect(formatMetric('rate', 12.5)).toBe('12.5/s');
    expect(formatMetric('rate', 1234.56)).toBe('1235/s');
    expect(formatMetric('p50', Number.NaN)).toBe('–');
  });

  test('a small error rate never rounds to 0%', () => {
    expect(formatPercent(0.00012)).toBe('0.012%');
    expect(formatPercent(0.01)).toBe('1%');
    expect(formatPercent(1 / 3)).toBe('33.33%');
    expect(formatPercent(1)).toBe('100%');
  });
});

describe('metric units in JSON', () => {
  test('ms for durations, ratio for error_rate, spans and spans/s; null for no value', () => {
    expect([
      metricUnit('p99'),
      metricUnit('error_rate'),
      metricUnit('count'),
      metricUnit('rate'),
    ]).toEqual(['ms', 'ratio', 'spans', 'spans/s']);
    expect(metricJson('p99', 1_500_000)).toBe(1.5);
    expect(metricJson('error_rate', 0.5)).toBe(0.5);
    expect(metricJson('p99', Number.NaN)).toBeNull();
    expect(metricJson('rate', Number.POSITIVE_INFINITY)).toBeNull();
    expect(metricJson('rate', undefined)).toBeNull();
  });
});

describe('displayPath', () => {
  test('relative to the working directory when inside it; as given otherwise', () => {
    expect(displayPath('/repo/specs/a.yaml', '/repo')).toBe('specs/a.yaml');
    expect(displayPath('/other/a.yaml', '/repo')).toBe('/other/a.yaml');
    expect(displayPath('specs/a.yaml', '/repo')).toBe('specs/a.yaml');
    expect(displayPath('/repo', '/repo')).toBe('/repo');
  });
});

describe('sloRows', () => {
  test('labels groups with their group_by values', () => {
    expect(sloRows(byServiceSlo).map((r) => [r.label, r.verdict])).toEqual([
      ['latency by service [resource.service.name=cart]', 'pass'],
      ['latency by service [resource.service.name=payment]', 'warn'],
    ]);
  });

  test('too few samples comes first, as its own row', () => {
    expect(sloRows(tooFewSlo).map((r) => [r.metric, r.measured, r.budget, r.verdict])).toEqual([
      ['samples', '0', '>= 50', 'fail'],
      ['p95', '–', '<= 200ms', 'fail'],
    ]);
  });

  test('a regression budget shows the baseline it was compared with', () => {
    expect(sloRows(regressionSlo)[0]?.budget).toBe('+10% over baseline (baseline 200ms)');
  });
});

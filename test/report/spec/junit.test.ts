import { describe, expect, test } from '@jest/globals';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { formatJunitReport } from '../../../src/report/spec';
import { xmlAttr, xmlText } from '../../../src/report/spec/xml';
import { CWD, check, mixedSpec, passingSpec, run, spec, warnOnlyRun } from './results';

interface Case {
  '@_classname': string;
  '@_name': string;
  '@_file': string;
  '@_line': string;
  failure?: { '#text': string; '@_message': string; '@_type': string };
  'system-out'?: string;
}
interface Suite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  testcase: Case[];
}
interface Doc {
  testsuites: { '@_tests': string; '@_failures': string; testsuite: Suite[] };
}

function parse(xml: string): Doc {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`invalid XML: ${JSON.stringify(valid.err)}\n${xml}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    parseAttributeValue: false,
    trimValues: false,
    // Numeric character references (&#10;) are XML, but this parser decodes them only so.
    htmlEntities: true,
    isArray: (name) => name === 'testsuite' || name === 'testcase' || name === 'property',
  });
  return parser.parse(xml) as Doc;
}

describe('junit reporter', () => {
  const xml = formatJunitReport(run([mixedSpec(), passingSpec()]), { cwd: CWD });
  const doc = parse(xml);
  const [checkout, inventory] = doc.testsuites.testsuite;
  const named = (name: string) => checkout?.testcase.find((t) => t['@_name'] === name) as Case;

  test('is valid XML with one suite per spec and totals that add up', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')).toBe(true);
    expect(doc.testsuites.testsuite.map((s) => s['@_name'])).toEqual(['checkout', 'inventory']);
    const cases = doc.testsuites.testsuite.flatMap((s) => s.testcase);
    const failures = cases.filter((c) => c.failure !== undefined);
    expect(Number(doc.testsuites['@_tests'])).toBe(cases.length);
    expect(Number(doc.testsuites['@_failures'])).toBe(failures.length);
    expect(Number(checkout?.['@_tests'])).toBe(checkout?.testcase.length);
    expect(inventory?.['@_failures']).toBe('0');
  });

  test('one testcase per SLO group and per check, the spec name as classname', () => {
    expect(checkout?.testcase.map((t) => t['@_name'])).toEqual([
      'SLO payment gateway under 300ms',
      'SLO checkout error rate',
      'SLO latency by service [resource.service.name=cart]',
      'SLO latency by service [resource.service.name=payment]',
      'SLO search latency',
      'SLO p95 no worse than last release',
      'check payment called once per checkout',
      'check checkout shape',
      'check no errors',
      'check search traces exist',
    ]);
    expect(new Set(checkout?.testcase.map((t) => t['@_classname']))).toEqual(new Set(['checkout']));
    expect(named('check checkout shape')).toMatchObject({
      '@_file': 'specs/checkout.yaml',
      '@_line': '34',
    });
  });

  test('failures carry the reason as message, a type, and the details as text', () => {
    const errorRate = named('SLO checkout error rate').failure;
    expect(errorRate?.['@_message']).toBe('error_rate = 2.5%, over the budget of 1% by 1.5%');
    expect(errorRate?.['@_type']).toBe('budget');
    expect(errorRate?.['#text']).toContain('FAIL error_rate = 2.5% (budget < 1%, 400 samples)');
    expect(errorRate?.['#text']).toContain('example: trace aaaa0000000000000000000000000001');

    const regression = named('SLO p95 no worse than last release').failure?.['#text'];
    expect(regression).toContain(
      'FAIL p95 = 230ms (budget +10% over baseline (baseline 200ms), 300 samples)',
    );
    expect(regression).toContain('ok   rate = 12.5/s (budget >= 10/s, 300 samples)');

    const shape = named('check checkout shape').failure;
    expect(shape?.['@_type']).toBe('count');
    expect(shape?.['@_message']).toBe(
      'expected 1 span matching { name = "Payment Gateway API" }, found 2 (and 4 more)',
    );
    expect(shape?.['#text']).toContain(
      'trace bbbb0000000000000000000000000002 span 0000000000000001',
    );
    expect(shape?.['#text']).toContain(
      'Payment Gateway API (280ms)  ✗ error: card declined  ◀ count; duration',
    );
    expect(shape?.['#text']).toContain('… and 1 more failed span');
  });

  test('too few samples is a failure', () => {
    expect(named('SLO search latency').failure?.['@_type']).toBe('too_few_samples');
    expect(named('SLO search latency').failure?.['@_message']).toMatch(
      /^\{ name = "search" \} selected no spans in 2 traces; min_samples needs at least 50/,
    );
    expect(named('check search traces exist').failure).toMatchObject({
      '@_type': 'too_few_samples',
      '@_message': 'for_each { name = "GET /search" } selected 0 spans; needs at least 5',
    });
  });

  test('warnings pass, with their text in system-out; passes are empty', () => {
    const warned = named('SLO latency by service [resource.service.name=payment]');
    expect(warned.failure).toBeUndefined();
    expect(warned['system-out']).toContain('warning: latency by service');
    expect(warned['system-out']).toContain('p99 = 1.25s, over the budget of 500ms by 750ms');
    expect(named('check no errors').failure).toBeUndefined();
    expect(named('check no errors')['system-out']).toContain(
      'no_errors: span "Payment Gateway API"',
    );
    expect(xml).toContain(
      '<testcase classname="checkout" name="SLO payment gateway under 300ms" file="specs/checkout.yaml" line="6"/>',
    );
  });

  test('--warn-only: the downgraded failure passes and the suite says why', () => {
    const warnXml = formatJunitReport(warnOnlyRun(), { cwd: CWD });
    const suite = parse(warnXml).testsuites.testsuite[0] as Suite;
    expect(suite['@_failures']).toBe('0');
    expect(suite.testcase.every((t) => t.failure === undefined)).toBe(true);
    expect(warnXml).toContain(
      '<property name="warn-only" value="--warn-only: 1 failure reported as a warning; without it this run fails"/>',
    );
  });

  test('escapes names, messages and forbidden characters so the file stays valid', () => {
    const nasty = 'a "quoted" <tag> & \'apos\' ]]> \u001b[31m\u0000 tab\there\nline2 \ud800 😀';
    const r = run([
      spec({
        name: nasty,
        verdict: 'fail',
        slos: [],
        checks: [
          check({
            name: nasty,
            forEach: nasty,
            samples: 0,
            tooFewSamples: { needed: 1 },
            verdict: 'fail',
          }),
        ],
      }),
    ]);
    const out = formatJunitReport(r, { cwd: CWD });
    const suite = parse(out).testsuites.testsuite[0] as Suite;
    const expected =
      'a "quoted" <tag> & \'apos\' ]]> \\u001b[31m\\u0000 tab\there\nline2 \ufffd 😀';
    expect(suite['@_name']).toBe(expected);
    expect(suite.testcase[0]?.['@_name']).toBe(`check ${expected}`);
    expect(suite.testcase[0]?.failure?.['#text']).toContain(
      `for_each ${expected} selected 0 spans`,
    );
  });
});

describe('xml escaping', () => {
  test('text escapes markup; attributes also quotes and whitespace that parsers would fold', () => {
    expect(xmlText('<a> & ]]>')).toBe('&lt;a&gt; &amp; ]]&gt;');
    expect(xmlAttr('"x"\n\'y\'\t\r')).toBe('&quot;x&quot;&#10;&apos;y&apos;&#9;&#13;');
    expect(xmlText('\u0001\uFFFE\uD800x')).toBe('\\u0001\\ufffe\ufffdx');
    expect(xmlText('😀\u00e9')).toBe('😀\u00e9');
  });
});

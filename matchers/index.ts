/**
 * tracespec's Jest matchers as one object, without side effects: `expect.extend(matchers)`
 * where you choose. Importing this module also brings the matchers' types (`./types`).
 */

import './types';
import { toCompleteWithin } from './to-complete-within';
import { toHaveAttributes } from './to-have-attributes';
import { toHaveCapacityWithin } from './to-have-capacity-within';
import { toHaveDependencies } from './to-have-dependencies';
import { toHaveErrorOrigin } from './to-have-error-origin';
import { toHaveNoErrors } from './to-have-no-errors';
import { toHaveNoRepeatedSerialCalls } from './to-have-no-repeated-serial-calls';
import { toHaveOnCriticalPath } from './to-have-on-critical-path';
import { toHaveRecordedException } from './to-have-recorded-exception';
import { toHaveSelfTimeWithin } from './to-have-self-time-within';
import { toHaveSpan } from './to-have-span';
import { toHaveSpanCount } from './to-have-span-count';
import { toHaveSpanWithin } from './to-have-span-within';
import { toHaveSpansInOrder } from './to-have-spans-in-order';
import { toHaveSpansInParallel } from './to-have-spans-in-parallel';
import { toMatchTraceSnapshot } from './to-match-trace-snapshot';
import { toMatchTraceTree } from './to-match-trace-tree';
import { toPropagateError } from './to-propagate-error';

export type { TracespecMatchers } from './types';
export {
  toCompleteWithin,
  toHaveAttributes,
  toHaveCapacityWithin,
  toHaveDependencies,
  toHaveErrorOrigin,
  toHaveNoErrors,
  toHaveNoRepeatedSerialCalls,
  toHaveOnCriticalPath,
  toHaveRecordedException,
  toHaveSelfTimeWithin,
  toHaveSpan,
  toHaveSpanCount,
  toHaveSpansInOrder,
  toHaveSpansInParallel,
  toHaveSpanWithin,
  toMatchTraceSnapshot,
  toMatchTraceTree,
  toPropagateError,
};

/** Every matcher, for `expect.extend(matchers)`. */
export const matchers = {
  toHaveSpan,
  toHaveSpanCount,
  toCompleteWithin,
  toHaveSpanWithin,
  toHaveOnCriticalPath,
  toHaveSelfTimeWithin,
  toHaveNoErrors,
  toHaveErrorOrigin,
  toPropagateError,
  toHaveNoRepeatedSerialCalls,
  toHaveRecordedException,
  toHaveAttributes,
  toHaveSpansInOrder,
  toHaveSpansInParallel,
  toMatchTraceTree,
  toMatchTraceSnapshot,
  toHaveCapacityWithin,
  toHaveDependencies,
};

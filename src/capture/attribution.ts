/**
 * Which scope a starting span belongs to. The rules, strongest evidence first:
 *
 * 1. The parent context carries a scope (set by `captureTrace` on the root context it runs
 *    the code in): that scope.
 * 2. The parent is a local span that is still open and was attributed: the parent's scope,
 *    so that a trace is never split between tests.
 * 3. The parent is remote or no longer open, and a scope owns the trace id: the owner. An
 *    in-process server started in `beforeAll` receives the test's request with the test's
 *    trace id; its server span joins the test.
 * 4. The ambient scope of the code that starts the span: the `captureTrace` whose async
 *    context it runs in, else the Jest test whose async context it runs in, else the test
 *    running serially.
 * 5. None: the span is unattributed, and no test sees it.
 *
 * A span attributed by rule 1 or 4 that starts a trace locally (no parent, a remote parent,
 * or a parent no longer open) claims its trace id for its scope, which rule 3 then uses.
 */

import type { CaptureScope, OpenSpan } from './scope';

/** The context key under which `captureTrace` puts its scope. Shared by every tracespec copy. */
export const SCOPE_KEY: symbol = Symbol.for('tracespec.capture.scope');

export interface AttributionFacts {
  /** The scope found under {@link SCOPE_KEY} in the parent context. */
  readonly explicit: CaptureScope | undefined;
  readonly hasParent: boolean;
  /** The parent span when it is local and still open. */
  readonly openParent: OpenSpan | undefined;
  /** The scope that owns the span's trace id. */
  readonly owner: CaptureScope | undefined;
  /** Evaluated only when the stronger rules found nothing (it asks Jest). */
  readonly ambient: () => CaptureScope | undefined;
}

export interface Attribution {
  readonly scope: CaptureScope | undefined;
  /** Whether the scope should own the span's trace id from now on. */
  readonly claimsTrace: boolean;
}

export function attribute(facts: AttributionFacts): Attribution {
  // A local open parent means the trace was begun by that parent: only its owner may claim it.
  const startsTraceHere = !facts.openParent;
  if (facts.explicit) return { scope: facts.explicit, claimsTrace: startsTraceHere };
  if (facts.openParent?.scope) return { scope: facts.openParent.scope, claimsTrace: false };
  if (facts.hasParent && !facts.openParent && facts.owner) {
    return { scope: facts.owner, claimsTrace: false };
  }
  const ambient = facts.ambient();
  return { scope: ambient, claimsTrace: ambient !== undefined && startsTraceHere };
}

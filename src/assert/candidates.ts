import type { Span, Trace } from '../model';
import type { Expr, SpansetExpr } from '../query';
import { parseSelector, Selector, type SelectorInput } from '../query';
import { editDistance } from '../query/errors';

/** A span whose name is close to one a selector asked for: a likely typo or near miss. */
export interface Candidate {
  /** The first span with this name (trace order). */
  readonly span: Span;
  readonly trace: Trace;
  /** How many spans carry this name, over every trace searched. */
  readonly count: number;
  /** The name the selector asked for that this one is close to. */
  readonly wanted: string;
  /** 0: same name but for case (so something else in the selector differs), 1: one name holds the other, then edit distance + 1. */
  readonly distance: number;
}

/** Names beyond this many distinct ones are not compared: a suggestion is not worth seconds. */
const MAX_NAMES = 5000;

/**
 * Span names close to the names `selector` asks for (`name = "..."`, `name =~ "..."`, or
 * an object's `name`), nearest first. Empty when the selector names no span, as a
 * predicate or `{ kind = server }` does.
 */
export function nearestByName(
  traces: readonly Trace[],
  selector: SelectorInput,
  limit = 3,
): Candidate[] {
  const wanted = wantedNames(selector);
  if (wanted.length === 0) return [];
  const byName = new Map<string, { span: Span; trace: Trace; count: number }>();
  for (const trace of traces) {
    for (const span of trace.spans) {
      const seen = byName.get(span.name);
      if (seen) seen.count++;
      else if (byName.size < MAX_NAMES) byName.set(span.name, { span, trace, count: 1 });
    }
  }
  const out: Candidate[] = [];
  for (const [name, seen] of byName) {
    let best: { wanted: string; distance: number } | undefined;
    for (const w of wanted) {
      const distance = nameDistance(w, name);
      if (distance !== undefined && (!best || distance < best.distance)) {
        best = { wanted: w, distance };
      }
    }
    if (best) out.push({ ...seen, ...best });
  }
  out.sort((a, b) => a.distance - b.distance || a.span.name.localeCompare(b.span.name));
  return out.slice(0, limit);
}

/** Undefined when the names are too far apart to be a plausible near miss. */
function nameDistance(wanted: string, actual: string): number | undefined {
  const w = wanted.toLowerCase();
  const a = actual.toLowerCase();
  if (w === a) return 0;
  if (w.length >= 3 && (a.includes(w) || w.includes(a))) return 1;
  const limit = Math.max(2, Math.floor(w.length / 3));
  // Lengths alone rule most names out before the quadratic distance is computed.
  if (Math.abs(w.length - a.length) > limit) return undefined;
  const d = editDistance(w, a);
  return d <= limit ? d + 1 : undefined;
}

/** The span names a selector asks for, in the order written. */
export function wantedNames(selector: SelectorInput): string[] {
  if (typeof selector === 'function') return [];
  if (typeof selector === 'string' || selector instanceof Selector) {
    let parsed: Selector;
    try {
      parsed = typeof selector === 'string' ? parseSelector(selector) : selector;
    } catch {
      return [];
    }
    const out: string[] = [];
    collectFromSpanset(parsed.ast, out);
    return [...new Set(out)].filter((name) => name !== '');
  }
  const name = selector?.name;
  if (typeof name === 'string') return [name];
  if (name instanceof RegExp) return [literalPart(name.source)].filter((n) => n !== '');
  return [];
}

function collectFromSpanset(node: SpansetExpr, out: string[]): void {
  switch (node.kind) {
    case 'filter':
      if (node.where) collectFromExpr(node.where, out);
      return;
    case 'structural': {
      // The right-hand side is what a structural selector returns, so that is the span
      // that is missing. The left side's names usually exist and would only mislead
      // ("User Service" suggested for `{ name = "User Service" } > { name = "Auth" }`).
      const before = out.length;
      collectFromSpanset(node.right, out);
      if (out.length === before) collectFromSpanset(node.left, out);
      return;
    }
    case 'spansetLogic':
      collectFromSpanset(node.left, out);
      collectFromSpanset(node.right, out);
      return;
    case 'pipeline':
      collectFromSpanset(node.source, out);
      for (const stage of node.stages) if (stage.kind === 'filter') collectFromSpanset(stage, out);
      return;
  }
}

function collectFromExpr(expr: Expr, out: string[]): void {
  if (expr.kind === 'logic') {
    collectFromExpr(expr.left, out);
    collectFromExpr(expr.right, out);
  } else if (expr.kind === 'compare' && (expr.op === '=' || expr.op === '=~')) {
    const [field, value] =
      expr.left.kind === 'literal' ? [expr.right, expr.left] : [expr.left, expr.right];
    if (
      field.kind === 'intrinsic' &&
      (field.name === 'name' || field.name === 'span:name') &&
      value.kind === 'literal' &&
      value.type === 'string'
    ) {
      out.push(expr.op === '=' ? value.value : literalPart(value.value));
    }
  }
}

/** The longest run of plain text in a regex: `Inventory.*` → `Inventory`. */
function literalPart(source: string): string {
  const runs = source.replace(/\(\?[a-zA-Z]+\)/g, '').split(/\\.|[.*+?^${}()|[\]\\]+/);
  let longest = '';
  for (const run of runs) if (run.length > longest.length) longest = run;
  return longest.trim();
}

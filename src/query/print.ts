import type { AttributeNode, Expr, Literal, SpansetExpr, Stage } from './ast';
import { isAttributeChar } from './lexer';

/**
 * Canonical text of a parsed selector: parsing it gives back the same tree. Parentheses
 * appear only where the tree needs them.
 */
export function printSelector(node: SpansetExpr): string {
  switch (node.kind) {
    case 'filter':
      return node.where === undefined ? '{ }' : `{ ${printExpr(node.where)} }`;
    case 'structural': {
      // Left-associative: a structural left side needs no parentheses, a right side does.
      const left =
        node.left.kind === 'structural' ? printSelector(node.left) : setOperand(node.left);
      return `${left} ${node.op} ${setOperand(node.right)}`;
    }
    case 'spansetLogic': {
      const l = node.left;
      const left =
        l.kind === 'structural' || (l.kind === 'spansetLogic' && l.op === node.op)
          ? printSelector(l)
          : setOperand(l);
      const right =
        node.right.kind === 'structural' ? printSelector(node.right) : setOperand(node.right);
      return `${left} ${node.op} ${right}`;
    }
    case 'pipeline': {
      const source =
        node.source.kind === 'pipeline'
          ? `(${printSelector(node.source)})`
          : printSelector(node.source);
      return [source, ...node.stages.map(printStage)].join(' | ');
    }
  }
}

/** A spanset as an operand: bare when it is a filter, parenthesised otherwise. */
function setOperand(node: SpansetExpr): string {
  return node.kind === 'filter' ? printSelector(node) : `(${printSelector(node)})`;
}

function printStage(stage: Stage): string {
  if (stage.kind === 'filter') return printSelector(stage);
  const field = stage.field === undefined ? '' : printExpr(stage.field);
  return `${stage.fn}(${field}) ${stage.op} ${printLiteral(stage.value)}`;
}

export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'logic': {
      // Comparisons bind tighter than && and ||; a chain of one operator needs nothing.
      const l = e.left;
      const left = l.kind === 'logic' && l.op !== e.op ? `(${printExpr(l)})` : printExpr(l);
      const right = e.right.kind === 'logic' ? `(${printExpr(e.right)})` : printExpr(e.right);
      return `${left} ${e.op} ${right}`;
    }
    case 'not':
      return `!${operand(e.operand)}`;
    case 'compare':
      return `${operand(e.left)} ${e.op} ${operand(e.right)}`;
    case 'intrinsic':
      return e.name;
    case 'attribute':
      return printAttribute(e);
    case 'literal':
      return printLiteral(e);
  }
}

/** An operand of `!` or of a comparison: fields, literals and `!x` stand alone. */
function operand(e: Expr): string {
  return e.kind === 'logic' || e.kind === 'compare' ? `(${printExpr(e)})` : printExpr(e);
}

function printAttribute(a: AttributeNode): string {
  const prefix = a.scope === 'any' ? '.' : `${a.scope}.`;
  const plain = a.name !== '' && [...a.name].every(isAttributeChar);
  return prefix + (plain ? a.name : printString(a.name));
}

export function printLiteral(l: Literal): string {
  switch (l.type) {
    case 'string':
      return printString(l.value);
    case 'int':
      return String(l.value);
    case 'float': {
      const text = String(l.value);
      // Keep it a float when read back: 5 would parse as an int.
      return /[.eE]/.test(text) ? text : `${text}.0`;
    }
    case 'duration':
      return printDurationLiteral(l.value);
    case 'bool':
      return String(l.value);
    case 'nil':
      return 'nil';
    default:
      return l.value;
  }
}

const UNITS: readonly [string, number][] = [
  ['h', 3600e9],
  ['m', 60e9],
  ['s', 1e9],
  ['ms', 1e6],
  ['us', 1e3],
];

/** The largest unit that holds the value exactly, so that it reads back the same. */
function printDurationLiteral(ns: number): string {
  const sign = ns < 0 ? '-' : '';
  const abs = Math.abs(ns);
  if (abs !== 0) {
    for (const [unit, size] of UNITS) if (abs % size === 0) return `${sign}${abs / size}${unit}`;
  }
  return `${sign}${abs}ns`;
}

export function printString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f || (code >= 0xd800 && code <= 0xdfff)) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

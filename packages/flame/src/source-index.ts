import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type Node } from 'acorn';

/** A function found in a script: its qualified name and its lines (1-based, inclusive). */
export interface SourceFunction {
  /** `Class.method`, `object.method`, or the plain name. */
  qualifiedName: string;
  /** The class (or object literal variable) it is defined on, if any. */
  owner?: string;
  startLine: number;
  endLine: number;
  start: number;
  end: number;
}

interface ParsedScript {
  functions: SourceFunction[];
  lineStarts: number[];
}

type AnyNode = Node & Record<string, unknown>;

/**
 * Turns V8's bare frame names into `Class.method`. V8 names a class method's frame by the method
 * alone (`greedy`, not `Searcher.greedy`); the class is read from the script itself: the innermost
 * function whose source range holds the frame's position, and the class or object literal around it.
 * Scripts that are not files (node:internal, wasm://, native) or do not parse keep the bare name.
 */
export class SourceIndex {
  private readonly scripts = new Map<string, ParsedScript | null>();

  /** The function at a frame's position (line and column 0-based, as in a CPU profile). */
  lookup(url: string, lineNumber: number, columnNumber: number): SourceFunction | undefined {
    const script = this.script(url);
    if (!script || lineNumber < 0) return undefined;
    const offset = (script.lineStarts[lineNumber] ?? Infinity) + Math.max(0, columnNumber);
    let best: SourceFunction | undefined;
    for (const f of script.functions) {
      if (f.start <= offset && offset < f.end && (!best || f.end - f.start < best.end - best.start)) best = f;
    }
    return best;
  }

  private script(url: string): ParsedScript | null {
    let s = this.scripts.get(url);
    if (s === undefined) {
      s = parseScript(url);
      this.scripts.set(url, s);
    }
    return s;
  }
}

function parseScript(url: string): ParsedScript | null {
  let path: string;
  if (url.startsWith('file://')) path = fileURLToPath(url);
  else if (url.startsWith('/')) path = url;
  else return null;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  let ast: Node;
  try {
    ast = parse(text, {
      ecmaVersion: 'latest',
      sourceType: 'module',
      allowHashBang: true,
      allowReturnOutsideFunction: true,
      locations: false,
    });
  } catch {
    try {
      ast = parse(text, { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true, allowReturnOutsideFunction: true });
    } catch {
      return null;
    }
  }
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0,
      hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const functions: SourceFunction[] = [];
  walk(ast as AnyNode, [], (node, parents) => {
    if (node.type !== 'FunctionDeclaration' && node.type !== 'FunctionExpression' && node.type !== 'ArrowFunctionExpression') return;
    const { name, owner } = nameOf(node, parents);
    const qualifiedName = owner ? `${owner}.${name}` : name;
    functions.push({
      qualifiedName,
      owner,
      startLine: lineOf(node.start),
      endLine: lineOf(Math.max(node.start, node.end - 1)),
      start: node.start,
      end: node.end,
    });
  });
  return { functions, lineStarts };
}

function walk(node: AnyNode, parents: AnyNode[], visit: (node: AnyNode, parents: AnyNode[]) => void): void {
  visit(node, parents);
  parents.push(node);
  for (const key of Object.keys(node)) {
    if (key === 'type' || key === 'start' || key === 'end') continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const child of value) if (child && typeof child.type === 'string') walk(child as AnyNode, parents, visit);
    } else if (value && typeof (value as AnyNode).type === 'string') {
      walk(value as AnyNode, parents, visit);
    }
  }
  parents.pop();
}

function keyName(key: unknown): string | undefined {
  const k = key as AnyNode | undefined;
  if (!k) return undefined;
  if (k.type === 'Identifier' || k.type === 'PrivateIdentifier') return (k.type === 'PrivateIdentifier' ? '#' : '') + (k.name as string);
  if (k.type === 'Literal') return String(k.value);
  return undefined;
}

function bindingName(node: AnyNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'VariableDeclarator') return keyName(node.id);
  if (node.type === 'AssignmentExpression') {
    const left = node.left as AnyNode;
    return left.type === 'MemberExpression' ? keyName(left.property) : keyName(left);
  }
  if (node.type === 'PropertyDefinition') return keyName(node.key);
  return undefined;
}

/** The function's own name and the class or object it sits on, as far as the syntax tells. */
function nameOf(fn: AnyNode, parents: AnyNode[]): { name: string; owner?: string } {
  const parent = parents[parents.length - 1];
  const own = keyName(fn.id);
  if (parent && (parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition' || parent.type === 'Property')) {
    const name = keyName(parent.key) ?? own ?? '(anonymous)';
    const container = parents[parents.length - 2];
    if (container?.type === 'ClassBody') {
      const cls = parents[parents.length - 3];
      const owner = keyName(cls?.id) ?? bindingName(parents[parents.length - 4]);
      return { name, owner };
    }
    if (container?.type === 'ObjectExpression') return { name, owner: bindingName(parents[parents.length - 3]) };
    return { name };
  }
  return { name: own ?? bindingName(parent) ?? '(anonymous)' };
}

// Portable-subset checker: walks the portable sources with the TypeScript type checker and
// reports file:line:col + rule for every construct in rules.ts. Used by test/unit/portable.test.ts
// and scripts/check-portable.js.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { ALLOWED_BARE_IMPORTS, ALLOWED_GLOBALS, BANNED_BUILTINS, RULES, TYPED_ARRAYS, TYPED_ARRAY_FILE } from "./rules";

export interface Violation {
  file: string;
  line: number;
  col: number;
  rule: string;
  message: string;
}

export interface CheckOptions {
  /** Repository root (for relative names and the typed-array exception). */
  root: string;
  /** Files to check (absolute). */
  files: string[];
  /** Directories whose files (recursively) portable code may import. */
  importDirs: string[];
  /** Directories whose top-level files only may be imported (hal/ interfaces). */
  interfaceDirs: string[];
}

/** Most files one directory walk visits: a bound on the walk. */
export const MAX_FILES = 5000;

/** Every .ts file under `dir` (recursively unless `flat`), sorted. */
export function tsFilesUnder(dir: string, flat = false): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0 && out.length < MAX_FILES) {
    const d = stack.pop() as string;
    if (!fs.existsSync(d)) continue;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && !flat) stack.push(p);
      else if (e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(p);
    }
  }
  return out.sort();
}

/** The portable sources of the repository: src/** and the hal/ interface files. */
export function projectOptions(root: string): CheckOptions {
  const src = path.join(root, "src");
  const hal = path.join(root, "hal");
  return { root, files: [...tsFilesUnder(src), ...tsFilesUnder(hal, true)], importDirs: [src], interfaceDirs: [hal] };
}

const RULE_IDS = RULES.map((r) => r.id);

function compilerOptions(root: string): ts.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2020.d.ts", "lib.dom.d.ts"],
    types: ["node"],
    typeRoots: [path.join(root, "node_modules/@types")],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    ignoreDeprecations: "6.0",
    paths: { "#bytes-native": [path.join(root, "src/bytes/native-typed.ts")] },
  };
}

/** Checks every file; violations sorted by file, line, column. */
export function checkPortable(opts: CheckOptions): Violation[] {
  const program = ts.createProgram(opts.files, compilerOptions(opts.root));
  const checker = program.getTypeChecker();
  const out: Violation[] = [];
  for (const f of opts.files) {
    const sf = program.getSourceFile(f);
    if (sf === undefined) throw new Error(`check-portable: cannot read ${f}`);
    new FileWalker(program, checker, sf, opts, out).walk();
  }
  return out.sort((a, b) => (a.file === b.file ? a.line - b.line || a.col - b.col : a.file < b.file ? -1 : 1));
}

export function formatViolation(v: Violation): string {
  return `${v.file}:${v.line}:${v.col}: ${v.rule}: ${v.message}`;
}

function stripParens(e: ts.Expression): ts.Expression {
  let x = e;
  while (ts.isParenthesizedExpression(x)) x = x.expression;
  return x;
}

function isLoop(n: ts.Node): boolean {
  return ts.isIterationStatement(n, false);
}

/** True when a break/continue would leave a try block or catch clause (a pcall'd function in Lua). */
function jumpsOutOfTry(n: ts.BreakOrContinueStatement): boolean {
  let p: ts.Node = n.parent;
  while (!ts.isSourceFile(p) && !ts.isFunctionLike(p)) {
    if (n.label === undefined && (isLoop(p) || (ts.isSwitchStatement(p) && n.kind === ts.SyntaxKind.BreakStatement))) return false;
    if (ts.isLabeledStatement(p) && n.label !== undefined && p.label.text === n.label.text) return false;
    if (ts.isCatchClause(p) || (ts.isBlock(p) && ts.isTryStatement(p.parent) && p.parent.tryBlock === p)) return true;
    p = p.parent;
  }
  return false;
}

function isLogical(e: ts.Expression): e is ts.BinaryExpression {
  if (!ts.isBinaryExpression(e)) return false;
  const k = e.operatorToken.kind;
  return k === ts.SyntaxKind.AmpersandAmpersandToken || k === ts.SyntaxKind.BarBarToken;
}

class FileWalker {
  private readonly seen: { [pos: string]: boolean } = {};
  private readonly rel: string;

  constructor(
    private readonly program: ts.Program,
    private readonly checker: ts.TypeChecker,
    private readonly sf: ts.SourceFile,
    private readonly opts: CheckOptions,
    private readonly out: Violation[],
  ) {
    this.rel = path.relative(opts.root, sf.fileName).split(path.sep).join("/");
  }

  walk(): void {
    const visit = (n: ts.Node): void => {
      this.visitNode(n);
      ts.forEachChild(n, visit);
    };
    visit(this.sf);
  }

  private report(node: ts.Node, rule: string, message: string): void {
    if (!RULE_IDS.includes(rule)) throw new Error(`check-portable: unknown rule ${rule}`);
    const start = node.getStart(this.sf);
    const key = rule + "@" + start;
    if (this.seen[key]) return;
    this.seen[key] = true;
    const lc = this.sf.getLineAndCharacterOfPosition(start);
    this.out.push({ file: this.rel, line: lc.line + 1, col: lc.character + 1, rule, message });
  }

  private visitNode(n: ts.Node): void {
    this.checkSyntax(n);
    if (ts.isIdentifier(n)) this.checkIdentifier(n);
    else if (ts.isBinaryExpression(n)) this.checkBinary(n);
    else if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) this.checkImport(n);
    else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) this.report(n, "import", "dynamic import()");
    this.checkConditions(n);
  }

  /** Rules decided by the node kind alone. */
  private checkSyntax(n: ts.Node): void {
    const K = ts.SyntaxKind;
    switch (n.kind) {
      case K.NullKeyword: return this.report(n, "null", "null");
      case K.RegularExpressionLiteral: return this.report(n, "regexp", "RegExp literal");
      case K.YieldExpression: return this.report(n, "generator", "yield");
      case K.AwaitExpression: return this.report(n, "async", "await");
      case K.GetAccessor: return this.report(n, "accessor", "getter");
      case K.SetAccessor: return this.report(n, "accessor", "setter");
      case K.DeleteExpression: return this.report(n, "delete", "delete");
      case K.ForInStatement: return this.report(n, "for-in", "for...in");
      case K.OmittedExpression: return this.report(n, "array-hole", "hole in array literal");
      case K.AsyncKeyword: return this.report(n, "async", "async function");
    }
    if (ts.isFunctionLike(n) && (n as ts.FunctionLikeDeclarationBase).asteriskToken !== undefined) this.report(n, "generator", "generator function");
    if (ts.isPrefixUnaryExpression(n) && n.operator === K.TildeToken) this.report(n, "shift-right", "~ (64-bit in Lua: use (x ^ 0xffffffff) >>> 0)");
    if ((ts.isNewExpression(n) || ts.isCallExpression(n)) && this.isGlobal(n.expression, "Array")) {
      const args = n.arguments === undefined ? 0 : n.arguments.length;
      if (args > 0) this.report(n, "new-array", "Array(...) constructor: use [] and push");
    }
    if (ts.isForOfStatement(n)) this.checkForOf(n);
    if (ts.isBreakOrContinueStatement(n) && jumpsOutOfTry(n)) this.report(n, "try-jump", `${n.kind === K.BreakStatement ? "break" : "continue"} out of a try/catch block`);
    if (ts.isFunctionTypeNode(n) && !hasThisParameter(n)) this.report(n, "callback-this", "function type without this: void");
  }

  private checkForOf(n: ts.ForOfStatement): void {
    const t = this.checker.getTypeAtLocation(n.expression);
    if (!this.checker.isArrayType(t) && !this.checker.isTupleType(t)) {
      this.report(n.expression, "for-of", `for...of over ${this.checker.typeToString(t)}`);
    }
  }

  /** The global (lib or @types) symbol named `name`, reached through `e`. */
  private isGlobal(e: ts.Expression, name: string): boolean {
    const x = stripParens(e);
    return ts.isIdentifier(x) && x.text === name && this.isLibSymbol(this.checker.getSymbolAtLocation(x));
  }

  private isLibSymbol(sym: ts.Symbol | undefined): boolean {
    if (sym === undefined) return false;
    const decls = sym.getDeclarations();
    if (decls === undefined || decls.length === 0) return false;
    return decls.every((d) => {
      const f = d.getSourceFile();
      return this.program.isSourceFileDefaultLibrary(f) || f.fileName.includes("/node_modules/");
    });
  }

  private checkIdentifier(id: ts.Identifier): void {
    const name = id.text;
    const sym = this.checker.getSymbolAtLocation(id);
    const lib = this.isLibSymbol(sym);
    if (lib && BANNED_BUILTINS.includes(name)) return this.report(id, name === "RegExp" ? "regexp" : "builtin", name);
    if (lib && TYPED_ARRAYS.includes(name) && this.rel !== TYPED_ARRAY_FILE) return this.report(id, "typed-array", name);
    if (!isValueReference(id)) return;
    if (lib && !ALLOWED_GLOBALS.includes(name) && !TYPED_ARRAYS.includes(name)) return this.report(id, "global", name);
    if (sym === undefined && name !== "undefined") this.report(id, "global", `unresolved global ${name}`);
  }

  private checkBinary(b: ts.BinaryExpression): void {
    const K = ts.SyntaxKind;
    const op = b.operatorToken.kind;
    if (op === K.EqualsEqualsToken || op === K.ExclamationEqualsToken) this.report(b.operatorToken, "loose-equality", ts.tokenToString(op) + " (use === / !==)");
    if (op === K.GreaterThanGreaterThanToken || op === K.GreaterThanGreaterThanEqualsToken) this.report(b.operatorToken, "shift-right", ">> (use >>>)");
    if (op === K.SlashToken || op === K.SlashEqualsToken) this.checkDivision(b);
    if (op === K.InstanceOfKeyword && this.isLibSymbol(this.checker.getSymbolAtLocation(stripParens(b.right)))) {
      this.report(b, "instanceof", "instanceof " + b.right.getText(this.sf));
    }
  }

  /**
   * `a / b` is a float in Lua even when it divides evenly (14 / 2 prints "7.0"). Allowed where
   * the value only feeds Math.floor/ceil/round/trunc or a comparison, through plain arithmetic;
   * anywhere else (an index, an argument, a return, a variable, text) it may be used as an
   * integer or shown, so it must be rounded explicitly. A line that says "// float on purpose"
   * keeps its fraction (a probability, the matcher's own check).
   */
  private checkDivision(b: ts.BinaryExpression): void {
    const K = ts.SyntaxKind;
    const ARITH = [K.PlusToken, K.MinusToken, K.AsteriskToken, K.SlashToken, K.PercentToken, K.AsteriskAsteriskToken];
    const COMPARE = [K.LessThanToken, K.GreaterThanToken, K.LessThanEqualsToken, K.GreaterThanEqualsToken, K.EqualsEqualsEqualsToken, K.ExclamationEqualsEqualsToken];
    let x: ts.Node = b;
    if (b.operatorToken.kind !== K.SlashEqualsToken) {
      for (let depth = 0; depth < 64; depth++) {
        let p = x.parent;
        while (ts.isParenthesizedExpression(p)) {
          x = p;
          p = p.parent;
        }
        if (ts.isCallExpression(p) && p.arguments.indexOf(x as ts.Expression) >= 0 && this.isRounding(p.expression)) return;
        if (ts.isBinaryExpression(p) && COMPARE.includes(p.operatorToken.kind)) return;
        const numeric = ts.isBinaryExpression(p) && ARITH.includes(p.operatorToken.kind) && (this.checker.getTypeAtLocation(p).flags & ts.TypeFlags.NumberLike) !== 0;
        if (!numeric && !(ts.isPrefixUnaryExpression(p) && p.operator === K.MinusToken) && !(ts.isConditionalExpression(p) && p.condition !== x)) break;
        x = p;
      }
    }
    if (this.lineText(b).indexOf("// float on purpose") >= 0) return;
    this.report(b.operatorToken, "division", "/ whose result may be used as an integer or shown (Lua gives 7.0): use Math.floor(...)");
  }

  /** The source line holding `n`'s start. */
  private lineText(n: ts.Node): string {
    const line = this.sf.getLineAndCharacterOfPosition(n.getStart(this.sf)).line;
    const starts = this.sf.getLineStarts();
    return this.sf.text.substring(starts[line], line + 1 < starts.length ? starts[line + 1] : this.sf.text.length);
  }

  private isRounding(callee: ts.Expression): boolean {
    const c = stripParens(callee);
    return ts.isPropertyAccessExpression(c) && ["floor", "ceil", "round", "trunc"].includes(c.name.text) && this.isGlobal(c.expression, "Math");
  }

  /** Truthiness: conditions must be booleans; && / || outside conditions must yield booleans. */
  private checkConditions(n: ts.Node): void {
    if (ts.isIfStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n)) this.condition(n.expression);
    else if (ts.isForStatement(n) && n.condition !== undefined) this.condition(n.condition);
    else if (ts.isConditionalExpression(n)) this.condition(n.condition);
    else if (ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.ExclamationToken) this.condition(n.operand);
    else if (isLogical(n as ts.Expression) && !this.inCondition(n as ts.Expression)) {
      const b = n as ts.BinaryExpression;
      if (!this.isBoolean(b)) this.report(b, "logical-default", `${ts.tokenToString(b.operatorToken.kind)} yields ${this.typeText(b)}`);
      else this.condition(b.left);
    }
  }

  private inCondition(e: ts.Expression): boolean {
    let x: ts.Node = e;
    while (ts.isParenthesizedExpression(x.parent)) x = x.parent;
    const p = x.parent;
    if (isLogical(p as ts.Expression)) return true; // a nested && / || is judged by its outer expression
    if (ts.isIfStatement(p) || ts.isWhileStatement(p) || ts.isDoStatement(p)) return p.expression === x;
    if (ts.isForStatement(p)) return p.condition === x;
    if (ts.isConditionalExpression(p)) return p.condition === x;
    return ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken;
  }

  private condition(e: ts.Expression): void {
    const x = stripParens(e);
    if (isLogical(x)) {
      this.condition(x.left);
      this.condition(x.right);
    } else if (!this.isBoolean(x)) {
      this.report(x, "truthiness", `condition of type ${this.typeText(x)} (compare explicitly, e.g. x !== undefined)`);
    }
  }

  private typeText(e: ts.Expression): string {
    return this.checker.typeToString(this.checker.getTypeAtLocation(e));
  }

  private isBoolean(e: ts.Expression): boolean {
    const t = this.checker.getTypeAtLocation(e);
    const base = t.isTypeParameter() ? this.checker.getBaseConstraintOfType(t) : t;
    if (base === undefined) return false;
    const ok = (x: ts.Type): boolean => (x.flags & (ts.TypeFlags.BooleanLike | ts.TypeFlags.Never)) !== 0;
    return base.isUnion() ? base.types.every(ok) : ok(base);
  }

  private checkImport(n: ts.ImportDeclaration | ts.ExportDeclaration): void {
    const spec = n.moduleSpecifier;
    if (spec === undefined || !ts.isStringLiteral(spec)) return;
    if (ALLOWED_BARE_IMPORTS.includes(spec.text)) return;
    const res = ts.resolveModuleName(spec.text, this.sf.fileName, this.program.getCompilerOptions(), ts.sys);
    const target = res.resolvedModule === undefined ? undefined : path.resolve(res.resolvedModule.resolvedFileName);
    if (target === undefined || !this.importAllowed(target)) this.report(spec, "import", `"${spec.text}" leaves the portable core`);
  }

  private importAllowed(target: string): boolean {
    if (target.includes(`${path.sep}node_modules${path.sep}`)) return false;
    if (this.opts.importDirs.some((d) => target.startsWith(d + path.sep))) return true;
    return this.opts.interfaceDirs.some((d) => path.dirname(target) === d);
  }
}

function hasThisParameter(f: ts.FunctionTypeNode): boolean {
  const first = f.parameters.length > 0 ? f.parameters[0].name : undefined;
  return first !== undefined && ts.isIdentifier(first) && first.text === "this";
}

/** True for an identifier read as a value (not a declaration name, property name or type). */
function isValueReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isQualifiedName(p) || ts.isTypeReferenceNode(p) || ts.isTypeQueryNode(p)) return false;
  if (ts.isExpressionWithTypeArguments(p) && ts.isHeritageClause(p.parent) && ts.isInterfaceDeclaration(p.parent.parent)) return false;
  if ((ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isMethodSignature(p)) && p.name === id) return false;
  if (ts.isImportSpecifier(p) || ts.isExportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p)) return false;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return false;
  if (isDeclarationName(id)) return false;
  return !isInsideType(id);
}

function isDeclarationName(id: ts.Identifier): boolean {
  // every declaration (variable, parameter, function, class, enum member, binding...) has `name`
  const p = id.parent as ts.Node & { name?: ts.Node };
  return p.name === id;
}

function isInsideType(n: ts.Node): boolean {
  let x: ts.Node | undefined = n.parent;
  while (x !== undefined && !ts.isSourceFile(x)) {
    if (ts.isTypeNode(x) && !ts.isExpressionWithTypeArguments(x)) return true;
    if (ts.isStatement(x) || ts.isBlock(x)) return false;
    x = x.parent;
  }
  return false;
}

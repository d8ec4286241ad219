// Lists what a package entry exports, split into runtime values and types, from its TypeScript source: the
// exports snapshot tests lock each package's public surface with it, so nothing is added or dropped by accident.
import ts from 'typescript';

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true,
  noEmit: true,
  // Only the names and kinds of the entry's exports are read: the DOM and Node type libraries (most of the
  // compiler's time) are never needed for that.
  lib: ['lib.es2022.d.ts'],
  types: [],
};

/** Declaration files of the compiler and of dependencies, parsed once per process: every listing reads them. */
const parsedDependencies = new Map<string, ts.SourceFile | undefined>();
const host = ts.createCompilerHost(OPTIONS);
const parse = host.getSourceFile.bind(host);
host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
  if (!fileName.includes('/node_modules/')) return parse(fileName, languageVersion, onError, shouldCreate);
  if (!parsedDependencies.has(fileName))
    parsedDependencies.set(fileName, parse(fileName, languageVersion, onError, shouldCreate));
  return parsedDependencies.get(fileName);
};

export function publicExports(entryFile: string): { values: string[]; types: string[] } {
  const program = ts.createProgram([entryFile], OPTIONS, host);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entryFile);
  const module = source ? checker.getSymbolAtLocation(source) : undefined;
  if (!module) throw new Error(`no module symbol for ${entryFile}`);
  const values: string[] = [];
  const types: string[] = [];
  for (const symbol of checker.getExportsOfModule(module)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    (target.flags & ts.SymbolFlags.Value ? values : types).push(symbol.getName());
  }
  return { values: values.sort(), types: types.sort() };
}

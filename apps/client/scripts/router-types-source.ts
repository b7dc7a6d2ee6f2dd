import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import ts from 'typescript';

/** Where the generated tRPC router type is committed. */
export const routerTypesPath = fileURLToPath(new URL('../src/generated/trpc-router.ts', import.meta.url));

export const generateCommand = 'pnpm --filter @tagging/client generate';

const clientDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * What the generator asks the compiler: every procedure's kind, input and output, and the error
 * shape, read from the API's router type.
 */
const probeSource = `import type { AppRouter } from '@tagging/api/router';
type Procedures = AppRouter['_def']['record'];
type KindsOf<R> = { [K in keyof R]: R[K] extends { _def: { procedure: true; type: infer T } } ? T : KindsOf<R[K]> };
type InputsOf<R> = { [K in keyof R]: R[K] extends { _def: { procedure: true; $types: { input: infer T } } } ? T : InputsOf<R[K]> };
type OutputsOf<R> = { [K in keyof R]: R[K] extends { _def: { procedure: true; $types: { output: infer T } } } ? T : OutputsOf<R[K]> };
export type Kinds = KindsOf<Procedures>;
// Before serialization: the client applies tRPC's JSON serialization to them itself.
export type Inputs = InputsOf<Procedures>;
export type Outputs = OutputsOf<Procedures>;
export type ErrorShape = AppRouter['_def']['_config']['$types']['errorShape'];
`;

const procedureTypes: Record<string, string> = {
  query: 'TRPCQueryProcedure',
  mutation: 'TRPCMutationProcedure',
  subscription: 'TRPCSubscriptionProcedure',
};

/** Zod's JSON value type, referred to by its file: the same type under a name of our own. */
const zodJsonType = /import\("[^"]*\/zod\/v4\/core\/util(?:\.js|\.d\.ts)?"\)\.JSONType/g;

/** tRPC's `TrackedData` (what a subscription yields with `tracked`), under its internal alias. */
const trpcTrackedEnvelope =
  /import\("[^"]*\/@trpc\/server\/dist\/[^"]*"(?:, \{ with: \{ "resolution-mode": "import" \} \})?\)\.Tr</g;

const header = `// Generated from the API's router type by \`${generateCommand}\`. Do not edit.
// The router's type as a client sees it: each procedure's kind, input and output, and the error
// shape, with no server type (context, database, meta) behind it, so the published SDK's
// declarations stand alone.
/* eslint-disable @typescript-eslint/no-explicit-any -- a subscription's output is tRPC's AsyncIterable<T, void, any> */
import type {
  TRPCBuiltRouter,
  TRPCMutationProcedure,
  TRPCQueryProcedure,
  TRPCSubscriptionProcedure,
} from '@trpc/server';

/** What a subscription yields for a \`tracked\` event: tRPC's \`TrackedData\`, which it does not export. */
type TrackedData<TData> = { id: string; data: TData };

/** Any JSON value (contact and session \`metadata\`). */
type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
`;

/**
 * The TypeScript source of the client's router type: the compiler's own reading of the API's
 * router (every procedure's input and output written out in full), formatted with the
 * repository's Prettier settings so the same router always gives the same bytes.
 */
export async function generateRouterTypes(): Promise<string> {
  // A file the compiler alone sees, in the client's directory so that it resolves the workspace's packages.
  const probePath = `${clientDir}scripts/router-types-probe.ts`;
  const configPath = `${clientDir}tsconfig.json`;
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error(`cannot read ${configPath}`);
  const host = ts.createCompilerHost(config.options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => file === probePath || fileExists.call(host, file);
  host.readFile = (file) => (file === probePath ? probeSource : readFile.call(host, file));
  host.getSourceFile = (file, language, ...rest) =>
    file === probePath
      ? ts.createSourceFile(file, probeSource, language)
      : getSourceFile.call(host, file, language, ...rest);
  const program = ts.createProgram([probePath], config.options, host);
  const checker = program.getTypeChecker();
  const probe = program.getSourceFile(probePath);
  if (!probe) throw new Error('the probe did not compile');
  const exported = new Map<string, ts.Type>();
  for (const statement of probe.statements)
    if (ts.isTypeAliasDeclaration(statement))
      exported.set(statement.name.text, checker.getTypeAtLocation(statement.name));
  const typeOf = (name: string) => {
    const type = exported.get(name);
    if (!type) throw new Error(`the probe has no ${name}`);
    return type;
  };
  const flags =
    ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias | ts.TypeFormatFlags.UseFullyQualifiedType;
  const named = (type: ts.Type) =>
    checker
      .typeToString(type, undefined, flags)
      .replace(zodJsonType, 'JsonValue')
      .replace(trpcTrackedEnvelope, 'TrackedData<');
  // A type the compiler names after a server or library module (the API's ErrorData, tRPC's
  // internal aliases) is written out member by member instead.
  const print = (type: ts.Type, where: string, depth = 0): string => {
    const text = named(type);
    if (!text.includes('import(')) return text;
    if (depth > 8) throw new Error(`${where}: its type refers to a module the SDK cannot ship: ${text}`);
    if (type.isUnion()) return type.types.map((member) => print(member, where, depth + 1)).join(' | ');
    if (checker.isArrayType(type)) {
      const [element] = checker.getTypeArguments(type as ts.TypeReference);
      if (element) return `(${print(element, where, depth + 1)})[]`;
    }
    if (type.flags & ts.TypeFlags.Object && checker.getSignaturesOfType(type, ts.SignatureKind.Call).length === 0) {
      const members = checker.getPropertiesOfType(type).map((symbol) => {
        const optional = symbol.flags & ts.SymbolFlags.Optional ? '?' : '';
        return `${symbol.name}${optional}: ${print(checker.getTypeOfSymbol(symbol), where, depth + 1)};`;
      });
      return `{ ${members.join(' ')} }`;
    }
    throw new Error(`${where}: its type refers to a module the SDK cannot ship: ${text}`);
  };
  const property = (type: ts.Type, name: string) => {
    const symbol = checker.getPropertyOfType(type, name);
    if (!symbol) throw new Error(`no ${name}`);
    return checker.getTypeOfSymbol(symbol);
  };
  const record = (kinds: ts.Type, inputs: ts.Type, outputs: ts.Type, path: string[]): string => {
    const members = checker.getPropertiesOfType(kinds).map((symbol) => {
      const name = symbol.name;
      const kind = checker.getTypeOfSymbol(symbol);
      const at = [...path, name];
      const input = property(inputs, name);
      const output = property(outputs, name);
      if (!kind.isStringLiteral()) return `${name}: ${record(kind, input, output, at)};`;
      const procedure = procedureTypes[kind.value];
      if (!procedure) throw new Error(`${at.join('.')}: a ${kind.value} is not supported by the SDK`);
      return `${name}: ${procedure}<{ input: ${print(input, at.join('.'))}; output: ${print(output, at.join('.'))}; meta: object }>;`;
    });
    return `{ ${members.join('\n')} }`;
  };
  const procedures = record(typeOf('Kinds'), typeOf('Inputs'), typeOf('Outputs'), []);
  const errorShape = print(typeOf('ErrorShape'), 'the error shape');
  const source = `${header}
/** The API's tRPC router, as \`createTaggingClient\` types it. */
export type AppRouter = TRPCBuiltRouter<{ ctx: object; meta: object; errorShape: ${errorShape}; transformer: false }, ${procedures}>;
`;
  const prettier = await resolveConfig(routerTypesPath);
  return format(source, { ...prettier, filepath: routerTypesPath });
}

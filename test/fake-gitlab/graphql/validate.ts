import type { FieldNode, Location, OperationNode, ValueNode, VariableDefinition } from './parse.js';
import { Variable } from './parse.js';
import { ENUMS, isLeafType, namedType, OBJECT_TYPES, SCALARS } from './schema-types.js';

/** One entry of GraphQL's "errors" array, in graphql-ruby's shape. */
export interface GraphQLError {
  message: string;
  locations?: Location[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

/**
 * graphql-ruby's static validation (lib/graphql/static_validation/rules): fields exist, arguments
 * are declared and required ones present, variables are declared, used and of the argument's exact
 * type, and selections match leaf and object types. Any error means no execution at all.
 */
export function validateOperation(operation: OperationNode): GraphQLError[] {
  const errors: GraphQLError[] = [];
  const operationLabel = operation.name ? `${operation.kind} ${operation.name}` : operation.kind;
  const operationName = operation.name ?? `anonymous ${operation.kind}`;
  const declared = new Map(operation.variables.map((v) => [v.name, v]));
  const used = new Set<string>();

  for (const definition of operation.variables) {
    const name = namedType(definition.type);
    if (!SCALARS.has(name) && !(name in ENUMS)) {
      errors.push({
        message: `${definition.type} isn't a defined input type (on $${definition.name})`,
        locations: [definition.location],
        path: [operationLabel],
        extensions: { code: 'variableRequiresValidType', typeName: definition.type, variableName: definition.name },
      });
    }
  }

  const checkVariables = (value: ValueNode, expected: string, field: FieldNode, arg: string, path: (string | number)[]) => {
    if (value instanceof Variable) {
      used.add(value.name);
      const definition = declared.get(value.name);
      if (!definition) {
        errors.push({
          message: `Variable $${value.name} is used by ${operationName} but not declared`,
          locations: [value.location],
          path: [...path, arg],
          extensions: { code: 'variableNotDefined', variableName: value.name },
        });
        return;
      }
      const mismatch = variableMismatch(definition, expected);
      if (mismatch) {
        errors.push({
          message: `${mismatch} on variable $${value.name} and argument ${arg} (${definition.type} / ${expected})`,
          locations: [field.argLocations[arg] ?? field.location],
          path: [...path, arg],
          extensions: {
            code: 'variableMismatch',
            variableName: value.name,
            typeName: definition.type,
            argumentName: arg,
            errorMessage: mismatch,
          },
        });
      }
    } else if (Array.isArray(value)) {
      for (const item of value) checkVariables(item, expected.replace(/^\[(.*)\]!?$/, '$1'), field, arg, path);
    }
  };

  const visit = (fields: FieldNode[], typeName: string, path: (string | number)[]) => {
    const type = OBJECT_TYPES[typeName] ?? {};
    for (const field of fields) {
      const fieldPath = [...path, field.alias ?? field.name];
      if (field.name === '__typename') continue;
      const definition = type[field.name];
      if (!definition) {
        errors.push({
          message: `Field '${field.name}' doesn't exist on type '${typeName}'`,
          locations: [field.location],
          path: fieldPath,
          extensions: { code: 'undefinedField', typeName, fieldName: field.name },
        });
        continue;
      }
      const accepted = definition.args ?? {};
      for (const [arg, value] of Object.entries(field.args)) {
        const expected = accepted[arg];
        if (expected === undefined) {
          errors.push({
            message: `Field '${field.name}' doesn't accept argument '${arg}'`,
            locations: [field.argLocations[arg] ?? field.location],
            path: [...fieldPath, arg],
            extensions: { code: 'argumentNotAccepted', name: field.name, typeName: 'Field', argumentName: arg },
          });
          continue;
        }
        checkVariables(value, expected, field, arg, fieldPath);
      }
      const missing = Object.entries(accepted)
        .filter(([arg, argType]) => argType.endsWith('!') && !(arg in field.args))
        .map(([arg]) => arg);
      if (missing.length > 0) {
        errors.push({
          message: `Field '${field.name}' is missing required arguments: ${missing.join(', ')}`,
          locations: [field.location],
          path: fieldPath,
          extensions: { code: 'missingRequiredArguments', className: 'Field', name: field.name, arguments: missing.join(', ') },
        });
      }
      const returns = namedType(definition.type);
      if (isLeafType(returns)) {
        if (field.selections) {
          const kind = returns in ENUMS ? 'enums' : 'scalars';
          errors.push({
            message: `Selections can't be made on ${kind} (field '${field.name}' returns ${returns} but has selections [${field.selections.map((s) => s.name).join(', ')}])`,
            locations: [field.location],
            path: fieldPath,
            extensions: { code: 'selectionMismatch', nodeName: `field '${field.name}'` },
          });
        }
      } else if (!field.selections) {
        errors.push({
          message: `Field must have selections (field '${field.name}' returns ${returns} but has no selections. Did you mean '${field.name} { ... }'?)`,
          locations: [field.location],
          path: fieldPath,
          extensions: { code: 'selectionMismatch', nodeName: `field '${field.name}'` },
        });
      } else {
        visit(field.selections, returns, fieldPath);
      }
    }
  };
  visit(operation.selections, 'Query', [operationLabel]);

  for (const definition of operation.variables) {
    if (used.has(definition.name)) continue;
    errors.push({
      message: `Variable $${definition.name} is declared by ${operationName} but not used`,
      locations: [definition.location],
      path: [operationLabel],
      extensions: { code: 'variableNotUsed', variableName: definition.name },
    });
  }
  return errors;
}

/**
 * VariableUsagesAreAllowed: the variable's type must be the argument's, except that a non-null
 * variable may feed a nullable argument, and a nullable one with a default may feed a non-null one.
 */
function variableMismatch(definition: VariableDefinition, argType: string): string | undefined {
  const depth = (t: string) => (t.match(/\[/g) ?? []).length;
  if (depth(definition.type) !== depth(argType)) return 'List dimension mismatch';
  if (namedType(definition.type) !== namedType(argType)) return 'Type mismatch';
  const hasDefault = definition.defaultValue !== undefined && definition.defaultValue !== null;
  if (argType.endsWith('!') && !definition.type.endsWith('!') && !hasDefault) return 'Nullability mismatch';
  return undefined;
}

/** Input coercion of one value to a type signature; the explanation graphql-ruby gives, or undefined. */
function coercionProblem(value: unknown, signature: string): string | undefined {
  if (value === null || value === undefined) {
    return signature.endsWith('!') ? 'Expected value to not be null' : undefined;
  }
  const type = signature.replace(/!$/, '');
  if (type.startsWith('[')) {
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      const problem = coercionProblem(item, type.slice(1, -1));
      if (problem) return problem;
    }
    return undefined;
  }
  const valid =
    type === 'String' || type === 'Time'
      ? typeof value === 'string'
      : type === 'ID' || type === 'BigInt' || type.endsWith('ID')
        ? typeof value === 'string' || Number.isInteger(value)
        : type === 'Int'
          ? Number.isInteger(value) && Math.abs(value as number) <= 2 ** 31
          : type === 'Float'
            ? typeof value === 'number'
            : type === 'Boolean'
              ? typeof value === 'boolean'
              : type in ENUMS
                ? (ENUMS[type] ?? []).includes(String(value))
                : true;
  return valid ? undefined : `Could not coerce value ${JSON.stringify(value)} to ${type}`;
}

/** The request's variables, checked against their declarations ("was provided invalid value"). */
export function coerceVariables(
  operation: OperationNode,
  provided: Record<string, unknown>,
): { values: Record<string, unknown>; errors: GraphQLError[] } {
  const values: Record<string, unknown> = {};
  const errors: GraphQLError[] = [];
  for (const definition of operation.variables) {
    const given = Object.hasOwn(provided, definition.name) ? provided[definition.name] : definition.defaultValue;
    const problem = coercionProblem(given ?? null, definition.type);
    if (problem) {
      errors.push({
        message: `Variable $${definition.name} of type ${definition.type} was provided invalid value`,
        locations: [definition.location],
        extensions: { value: given ?? null, problems: [{ path: [], explanation: problem }] },
      });
    } else {
      values[definition.name] = given ?? null;
    }
  }
  return { values, errors };
}

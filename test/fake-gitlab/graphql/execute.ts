import { type FieldNode, type OperationNode, type ValueNode, Variable } from './parse.js';

/** A GraphQL object: resolve() answers undefined for a field its type does not have. */
export interface GqlObject {
  readonly __typename: string;
  resolve(field: string, args: Record<string, unknown>): unknown;
}

export function gqlObject(typename: string, fields: Record<string, (args: Record<string, unknown>) => unknown>): GqlObject {
  return {
    __typename: typename,
    resolve: (field, args) => (Object.hasOwn(fields, field) ? (fields[field]?.(args) ?? null) : undefined),
  };
}

function isGqlObject(value: unknown): value is GqlObject {
  return typeof value === 'object' && value !== null && '__typename' in value && 'resolve' in value;
}

export interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

/** Validation failure: like graphql-ruby, the whole response is {"errors": […]} with no data. */
class QueryError extends Error {
  constructor(readonly error: GraphQLError) {
    super(error.message);
  }
}

function argValue(node: ValueNode, variables: Record<string, unknown>): unknown {
  if (node instanceof Variable) return variables[node.name] ?? null;
  if (Array.isArray(node)) return node.map((item) => argValue(item, variables));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, argValue(v, variables)]));
  }
  return node;
}

function complete(
  value: unknown,
  field: FieldNode,
  parentType: string,
  path: (string | number)[],
  variables: Record<string, unknown>,
): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item, i) => complete(item, field, parentType, [...path, i], variables));
  if (isGqlObject(value)) {
    if (!field.selections) {
      throw new QueryError({
        message: `Field must have selections (field '${field.name}' returns ${value.__typename} but has no selections.)`,
        path,
      });
    }
    return selectionSet(value, field.selections, path, variables);
  }
  if (field.selections) {
    throw new QueryError({ message: `Selections can't be made on scalars (field '${field.name}' on ${parentType})`, path });
  }
  return value;
}

function selectionSet(
  object: GqlObject,
  fields: FieldNode[],
  path: (string | number)[],
  variables: Record<string, unknown>,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of fields) {
    const key = field.alias ?? field.name;
    const args = Object.fromEntries(Object.entries(field.args).map(([k, v]) => [k, argValue(v, variables)]));
    const value = field.name === '__typename' ? object.__typename : object.resolve(field.name, args);
    if (value === undefined) {
      throw new QueryError({
        message: `Field '${field.name}' doesn't exist on type '${object.__typename}'`,
        path: [...path, key],
        extensions: { code: 'undefinedField', typeName: object.__typename, fieldName: field.name },
      });
    }
    result[key] = complete(value, field, object.__typename, [...path, key], variables);
  }
  return result;
}

export function execute(
  operation: OperationNode,
  root: GqlObject,
  variables: Record<string, unknown>,
): { data?: Record<string, unknown>; errors?: GraphQLError[] } {
  const values: Record<string, unknown> = {};
  for (const [name, node] of Object.entries(operation.variableDefaults)) values[name] = argValue(node, {});
  Object.assign(values, variables);
  try {
    return { data: selectionSet(root, operation.selections, [], values) };
  } catch (error) {
    if (error instanceof QueryError) return { errors: [error.error] };
    throw error;
  }
}

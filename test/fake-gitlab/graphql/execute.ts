import { type FieldNode, type OperationNode, type ValueNode, Variable } from './parse.js';
import type { GraphQLError } from './validate.js';

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

/**
 * A resolver's failure (e.g. Gitlab::Graphql::Errors::ResourceNotAvailable): the field becomes null
 * and the error is listed with its location and path, next to the rest of the data.
 */
export class FieldError extends Error {}

function argValue(node: ValueNode, variables: Record<string, unknown>): unknown {
  if (node instanceof Variable) return variables[node.name] ?? null;
  if (Array.isArray(node)) return node.map((item) => argValue(item, variables));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, argValue(v, variables)]));
  }
  return node;
}

class Execution {
  readonly errors: GraphQLError[] = [];
  constructor(private readonly variables: Record<string, unknown>) {}

  complete(value: unknown, field: FieldNode, path: (string | number)[]): unknown {
    if (value === null || value === undefined) return null;
    if (Array.isArray(value)) return value.map((item, i) => this.complete(item, field, [...path, i]));
    if (isGqlObject(value) && field.selections) return this.selectionSet(value, field.selections, path);
    return value;
  }

  selectionSet(object: GqlObject, fields: FieldNode[], path: (string | number)[]): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const field of fields) {
      const key = field.alias ?? field.name;
      const args = Object.fromEntries(Object.entries(field.args).map(([k, v]) => [k, argValue(v, this.variables)]));
      try {
        // Validation already proved the field exists on the type; undefined here is a fake bug.
        const value = field.name === '__typename' ? object.__typename : object.resolve(field.name, args);
        if (value === undefined) throw new Error(`fake GitLab schema: ${object.__typename}.${field.name} has no resolver`);
        result[key] = this.complete(value, field, [...path, key]);
      } catch (error) {
        if (!(error instanceof FieldError)) throw error;
        this.errors.push({ message: error.message, locations: [field.location], path: [...path, key] });
        result[key] = null;
      }
    }
    return result;
  }
}

/** Runs a validated operation with coerced variables: {data}, plus errors when a field failed. */
export function execute(
  operation: OperationNode,
  root: GqlObject,
  variables: Record<string, unknown>,
): { data: Record<string, unknown>; errors?: GraphQLError[] } {
  const execution = new Execution(variables);
  const data = execution.selectionSet(root, operation.selections, []);
  return execution.errors.length > 0 ? { errors: execution.errors, data } : { data };
}

/**
 * A small GraphQL parser for the queries an installer sends: one operation, typed variable
 * definitions, fields with aliases, arguments (literals and $variables) and nested selections.
 * Fragments and directives are refused. Every node keeps its line and column, which GitLab's
 * graphql-ruby reports in `locations`.
 */

export interface Location {
  line: number;
  column: number;
}

export class Variable {
  constructor(
    readonly name: string,
    readonly location: Location,
  ) {}
}

export type ValueNode = string | number | boolean | null | Variable | ValueNode[] | { [key: string]: ValueNode };

export interface FieldNode {
  alias?: string;
  name: string;
  args: Record<string, ValueNode>;
  /** Where each argument was written (for graphql-ruby's error locations). */
  argLocations: Record<string, Location>;
  selections?: FieldNode[];
  location: Location;
}

export interface VariableDefinition {
  name: string;
  /** The type as written, e.g. "ID!" or "[String!]". */
  type: string;
  defaultValue?: ValueNode;
  location: Location;
}

export interface OperationNode {
  kind: 'query' | 'mutation' | 'subscription';
  name?: string;
  variables: VariableDefinition[];
  selections: FieldNode[];
  location: Location;
}

export class GraphQLSyntaxError extends Error {
  constructor(
    message: string,
    readonly location?: Location,
  ) {
    super(message);
  }
}

type Token = { kind: 'punct' | 'name' | 'string' | 'number'; text: string; location: Location };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const here = (): Location => ({ line, column: i - lineStart + 1 });
  while (i < source.length) {
    const c = source[i] ?? '';
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
    } else if (/[\s,\uFEFF]/.test(c)) {
      i++;
    } else if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (source.startsWith('...', i)) {
      throw new GraphQLSyntaxError('fragments are not supported by the fake GitLab', here());
    } else if ('{}():!$=[]@'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, location: here() });
      i++;
    } else if (c === '"') {
      if (source.startsWith('"""', i)) throw new GraphQLSyntaxError('block strings are not supported by the fake GitLab', here());
      const location = here();
      let j = i + 1;
      while (j < source.length && source[j] !== '"' && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      if (j >= source.length || source[j] !== '"') throw new GraphQLSyntaxError('unterminated string', location);
      tokens.push({ kind: 'string', text: JSON.parse(source.slice(i, j + 1)) as string, location });
      i = j + 1;
    } else if (/[-\d]/.test(c)) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(source.slice(i));
      if (!match) throw new GraphQLSyntaxError(`unexpected character "${c}"`, here());
      tokens.push({ kind: 'number', text: match[0], location: here() });
      i += match[0].length;
    } else if (/[_A-Za-z]/.test(c)) {
      const match = /^[_A-Za-z][_0-9A-Za-z]*/.exec(source.slice(i));
      const text = match?.[0] ?? c;
      tokens.push({ kind: 'name', text, location: here() });
      i += text.length;
    } else {
      throw new GraphQLSyntaxError(`unexpected character "${c}"`, here());
    }
  }
  return tokens;
}

class Parser {
  #pos = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(text?: string): boolean {
    const token = this.tokens[this.#pos];
    return token !== undefined && (text === undefined || (token.kind !== 'string' && token.text === text));
  }

  location(): Location {
    return this.tokens[this.#pos]?.location ?? this.tokens.at(-1)?.location ?? { line: 1, column: 1 };
  }

  next(): Token {
    const token = this.tokens[this.#pos++];
    if (!token) throw new GraphQLSyntaxError('unexpected end of query', this.tokens.at(-1)?.location);
    return token;
  }

  expect(text: string): void {
    const token = this.next();
    if (token.text !== text || token.kind === 'string') {
      throw new GraphQLSyntaxError(`expected "${text}" but found "${token.text}"`, token.location);
    }
  }

  name(): string {
    const token = this.next();
    if (token.kind !== 'name') throw new GraphQLSyntaxError(`expected a name but found "${token.text}"`, token.location);
    return token.text;
  }

  operation(): OperationNode {
    let kind: OperationNode['kind'] = 'query';
    let name: string | undefined;
    const variables: VariableDefinition[] = [];
    const location = this.location();
    if (!this.peek('{')) {
      const keywordAt = this.location();
      const keyword = this.name();
      if (keyword !== 'query' && keyword !== 'mutation' && keyword !== 'subscription') {
        throw new GraphQLSyntaxError(`unexpected "${keyword}"`, keywordAt);
      }
      kind = keyword;
      if (!this.peek('{') && !this.peek('(')) name = this.name();
      if (this.peek('(')) {
        this.expect('(');
        while (!this.peek(')')) {
          const at = this.location();
          this.expect('$');
          const variable = this.name();
          this.expect(':');
          const type = this.type();
          let defaultValue: ValueNode | undefined;
          if (this.peek('=')) {
            this.expect('=');
            defaultValue = this.value();
          }
          variables.push({ name: variable, type, location: at, ...(defaultValue !== undefined ? { defaultValue } : {}) });
        }
        this.expect(')');
      }
    }
    const selections = this.selectionSet();
    if (this.#pos < this.tokens.length) {
      throw new GraphQLSyntaxError('only one operation per request is supported', this.location());
    }
    return { kind, ...(name ? { name } : {}), variables, selections, location };
  }

  type(): string {
    let written: string;
    if (this.peek('[')) {
      this.expect('[');
      written = `[${this.type()}]`;
      this.expect(']');
    } else {
      written = this.name();
    }
    if (this.peek('!')) {
      this.expect('!');
      written += '!';
    }
    return written;
  }

  selectionSet(): FieldNode[] {
    this.expect('{');
    const fields: FieldNode[] = [];
    while (!this.peek('}')) fields.push(this.field());
    this.expect('}');
    if (fields.length === 0) throw new GraphQLSyntaxError('empty selection set', this.location());
    return fields;
  }

  field(): FieldNode {
    const location = this.location();
    let name = this.name();
    let alias: string | undefined;
    if (this.peek(':')) {
      this.expect(':');
      alias = name;
      name = this.name();
    }
    const args: Record<string, ValueNode> = {};
    const argLocations: Record<string, Location> = {};
    if (this.peek('(')) {
      this.expect('(');
      while (!this.peek(')')) {
        argLocations[this.tokens[this.#pos]?.text ?? ''] = this.location();
        const arg = this.name();
        this.expect(':');
        args[arg] = this.value();
      }
      this.expect(')');
    }
    if (this.peek('@')) throw new GraphQLSyntaxError('directives are not supported by the fake GitLab', this.location());
    const selections = this.peek('{') ? this.selectionSet() : undefined;
    return { ...(alias ? { alias } : {}), name, args, argLocations, ...(selections ? { selections } : {}), location };
  }

  value(): ValueNode {
    if (this.peek('$')) {
      const at = this.location();
      this.expect('$');
      return new Variable(this.name(), at);
    }
    if (this.peek('[')) {
      this.expect('[');
      const items: ValueNode[] = [];
      while (!this.peek(']')) items.push(this.value());
      this.expect(']');
      return items;
    }
    if (this.peek('{')) {
      this.expect('{');
      const object: Record<string, ValueNode> = {};
      while (!this.peek('}')) {
        const key = this.name();
        this.expect(':');
        object[key] = this.value();
      }
      this.expect('}');
      return object;
    }
    const token = this.next();
    if (token.kind === 'string') return token.text;
    if (token.kind === 'number') return Number(token.text);
    if (token.kind === 'name') {
      if (token.text === 'true') return true;
      if (token.text === 'false') return false;
      if (token.text === 'null') return null;
      return token.text; // enum value
    }
    throw new GraphQLSyntaxError(`unexpected "${token.text}"`, token.location);
  }
}

export function parseQuery(source: string): OperationNode {
  return new Parser(tokenize(source)).operation();
}

/**
 * A small GraphQL parser for the queries an installer sends: one operation, fields with aliases,
 * arguments (literals and $variables) and nested selections. Fragments and directives are refused.
 */

export class Variable {
  constructor(readonly name: string) {}
}

export type ValueNode = string | number | boolean | null | Variable | ValueNode[] | { [key: string]: ValueNode };

export interface FieldNode {
  alias?: string;
  name: string;
  args: Record<string, ValueNode>;
  selections?: FieldNode[];
}

export interface OperationNode {
  kind: 'query' | 'mutation' | 'subscription';
  selections: FieldNode[];
  variableDefaults: Record<string, ValueNode>;
}

export class GraphQLSyntaxError extends Error {}

type Token = { kind: 'punct' | 'name' | 'string' | 'number'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] ?? '';
    if (/[\s,\uFEFF]/.test(c)) {
      i++;
    } else if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (source.startsWith('...', i)) {
      throw new GraphQLSyntaxError('fragments are not supported by the fake GitLab');
    } else if ('{}():!$=[]@'.includes(c)) {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else if (c === '"') {
      if (source.startsWith('"""', i)) throw new GraphQLSyntaxError('block strings are not supported by the fake GitLab');
      let j = i + 1;
      while (j < source.length && source[j] !== '"') j += source[j] === '\\' ? 2 : 1;
      if (j >= source.length) throw new GraphQLSyntaxError('unterminated string');
      tokens.push({ kind: 'string', text: JSON.parse(source.slice(i, j + 1)) as string });
      i = j + 1;
    } else if (/[-\d]/.test(c)) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(source.slice(i));
      if (!match) throw new GraphQLSyntaxError(`unexpected character "${c}"`);
      tokens.push({ kind: 'number', text: match[0] });
      i += match[0].length;
    } else if (/[_A-Za-z]/.test(c)) {
      const match = /^[_A-Za-z][_0-9A-Za-z]*/.exec(source.slice(i));
      const text = match?.[0] ?? c;
      tokens.push({ kind: 'name', text });
      i += text.length;
    } else {
      throw new GraphQLSyntaxError(`unexpected character "${c}"`);
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

  next(): Token {
    const token = this.tokens[this.#pos++];
    if (!token) throw new GraphQLSyntaxError('unexpected end of query');
    return token;
  }

  expect(text: string): void {
    const token = this.next();
    if (token.text !== text || token.kind === 'string') {
      throw new GraphQLSyntaxError(`expected "${text}" but found "${token.text}"`);
    }
  }

  name(): string {
    const token = this.next();
    if (token.kind !== 'name') throw new GraphQLSyntaxError(`expected a name but found "${token.text}"`);
    return token.text;
  }

  operation(): OperationNode {
    let kind: OperationNode['kind'] = 'query';
    const variableDefaults: Record<string, ValueNode> = {};
    if (!this.peek('{')) {
      const keyword = this.name();
      if (keyword !== 'query' && keyword !== 'mutation' && keyword !== 'subscription') {
        throw new GraphQLSyntaxError(`unexpected "${keyword}"`);
      }
      kind = keyword;
      if (!this.peek('{') && !this.peek('(')) this.name();
      if (this.peek('(')) {
        this.expect('(');
        while (!this.peek(')')) {
          this.expect('$');
          const name = this.name();
          this.expect(':');
          this.type();
          if (this.peek('=')) {
            this.expect('=');
            variableDefaults[name] = this.value();
          }
        }
        this.expect(')');
      }
    }
    const selections = this.selectionSet();
    if (this.#pos < this.tokens.length) throw new GraphQLSyntaxError('only one operation per request is supported');
    return { kind, selections, variableDefaults };
  }

  type(): void {
    if (this.peek('[')) {
      this.expect('[');
      this.type();
      this.expect(']');
    } else {
      this.name();
    }
    if (this.peek('!')) this.expect('!');
  }

  selectionSet(): FieldNode[] {
    this.expect('{');
    const fields: FieldNode[] = [];
    while (!this.peek('}')) fields.push(this.field());
    this.expect('}');
    if (fields.length === 0) throw new GraphQLSyntaxError('empty selection set');
    return fields;
  }

  field(): FieldNode {
    let name = this.name();
    let alias: string | undefined;
    if (this.peek(':')) {
      this.expect(':');
      alias = name;
      name = this.name();
    }
    const args: Record<string, ValueNode> = {};
    if (this.peek('(')) {
      this.expect('(');
      while (!this.peek(')')) {
        const arg = this.name();
        this.expect(':');
        args[arg] = this.value();
      }
      this.expect(')');
    }
    if (this.peek('@')) throw new GraphQLSyntaxError('directives are not supported by the fake GitLab');
    const selections = this.peek('{') ? this.selectionSet() : undefined;
    return { ...(alias ? { alias } : {}), name, args, ...(selections ? { selections } : {}) };
  }

  value(): ValueNode {
    if (this.peek('$')) {
      this.expect('$');
      return new Variable(this.name());
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
    throw new GraphQLSyntaxError(`unexpected "${token.text}"`);
  }
}

export function parseQuery(source: string): OperationNode {
  return new Parser(tokenize(source)).operation();
}

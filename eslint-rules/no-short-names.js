// no-short-names: a name of one or two letters says nothing to the next reader; it becomes a word.
//
// Reported: names declared by const/let/var (destructuring included), function and class
// declarations, class members (methods, properties, accessors, parameter properties), and the
// parameters of every function except a tiny lambda.
//
// A tiny lambda is an arrow function whose body is a single expression, e.g. `(a, b) => a - b` or
// `rows.map((r) => r.id)`: the whole scope of its parameters is in view, so a letter reads fine.
// Not covered: imports (they keep the library's own name, e.g. `ts`), type parameters (`T`, `K`),
// object literal keys and type members (data shapes, e.g. `{ x, y }`), catch parameters.
//
// Allowed anyway, because the short form is the convention every reader knows:
//   i, j, k        loop counters, only where a `for (…; …; …)` statement declares them
//   x, y           coordinates
//   id, ok         already words in practice (an identifier, a success flag)
//   a1             a cell address in Google Sheets' "A1 notation", the name its documentation uses
//   tx             a database transaction (Firestore's own documentation names it so)
//   db, fs, os     a database handle, the node:fs and node:os modules
//   io             a command's input and output (CliIo: stdout, stderr, cwd)
//   to, at, by, of, on, up
//                  English words: `from`/`to` bounds, `at` a moment, `by` a grouping key…
//   _, __          an unused parameter kept for a callback's shape
const ALLOWED_EVERYWHERE = new Set('x y id ok a1 tx db fs os io to at by of on up'.split(' '));
const LOOP_COUNTERS = new Set(['i', 'j', 'k']);
const MAX_SHORT_LENGTH = 2;

function isShort(name) {
  return name.length <= MAX_SHORT_LENGTH && !/^_+$/.test(name) && !ALLOWED_EVERYWHERE.has(name);
}

function isTinyLambda(functionNode) {
  return functionNode.type === 'ArrowFunctionExpression' && functionNode.body.type !== 'BlockStatement';
}

/** The identifiers a binding pattern declares: `a`, `{ a, b: c }`, `[a, ...rest]`, `a = 1`. */
function boundIdentifiers(pattern) {
  if (!pattern) return [];
  switch (pattern.type) {
    case 'Identifier':
      return [pattern];
    case 'ObjectPattern':
      return pattern.properties.flatMap((property) =>
        boundIdentifiers(property.type === 'RestElement' ? property.argument : property.value),
      );
    case 'ArrayPattern':
      return pattern.elements.flatMap((element) => boundIdentifiers(element));
    case 'RestElement':
      return boundIdentifiers(pattern.argument);
    case 'AssignmentPattern':
      return boundIdentifiers(pattern.left);
    case 'TSParameterProperty':
      return boundIdentifiers(pattern.parameter);
    default:
      return [];
  }
}

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'suggestion',
    docs: { description: 'Names of one or two letters outside tiny lambdas become words' },
    schema: [],
    messages: {
      shortName: "'{{name}}' is {{length}} letter(s) long: name it with a word that says what it holds.",
    },
  },
  create(context) {
    function check(identifier, { loopCounterAllowed = false } = {}) {
      const name = identifier.name;
      if (!isShort(name)) return;
      if (loopCounterAllowed && LOOP_COUNTERS.has(name)) return;
      context.report({ node: identifier, messageId: 'shortName', data: { name, length: name.length } });
    }
    function checkFunction(functionNode) {
      if (functionNode.id) check(functionNode.id);
      if (isTinyLambda(functionNode)) return;
      for (const param of functionNode.params) for (const identifier of boundIdentifiers(param)) check(identifier);
    }
    function checkMember(member) {
      if (!member.computed && member.key.type === 'Identifier') check(member.key);
    }
    return {
      VariableDeclarator(declarator) {
        const declaration = declarator.parent;
        const loopCounterAllowed =
          declaration.parent.type === 'ForStatement' && declaration.parent.init === declaration;
        for (const identifier of boundIdentifiers(declarator.id)) check(identifier, { loopCounterAllowed });
      },
      FunctionDeclaration: checkFunction,
      FunctionExpression: checkFunction,
      ArrowFunctionExpression: checkFunction,
      TSDeclareFunction(functionNode) {
        if (functionNode.id) check(functionNode.id);
      },
      ClassDeclaration(declaration) {
        if (declaration.id) check(declaration.id);
      },
      MethodDefinition: checkMember,
      PropertyDefinition: checkMember,
      TSAbstractMethodDefinition: checkMember,
      TSAbstractPropertyDefinition: checkMember,
      AccessorProperty: checkMember,
    };
  },
};

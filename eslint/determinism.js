/**
 * Lint rules that keep the state machine deterministic (applied to x/, runtime/, app/, store/ and types/).
 *
 * Every validator must compute the same AppHash from the same blocks. These rules forbid
 * the usual ways a TypeScript program stops being a pure function of its inputs:
 * wall-clock time, randomness, floating-point arithmetic and iteration in an order that
 * is not the sorted order of keys. A justified exception carries an
 * `eslint-disable-next-line` comment that says why it cannot change a result.
 */
'use strict';

function typeOf(context, node) {
  const services = context.sourceCode.parserServices;
  if (!services || !services.program || !services.esTreeNodeToTSNodeMap) return undefined;
  const checker = services.program.getTypeChecker();
  return { checker, type: checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(node)) };
}

function isNumberType(t) {
  if (!t) return false;
  const { checker, type } = t;
  const s = checker.typeToString(checker.getBaseTypeOfLiteralType(type));
  return s === 'number';
}

function isUnorderedCollection(t) {
  if (!t) return false;
  const { checker, type } = t;
  const s = checker.typeToString(type);
  return /^(ReadonlyMap|Map|ReadonlySet|Set|WeakMap)</.test(s) || /^(Map|Set)$/.test(s);
}

const noFloatDivision = {
  meta: {
    type: 'problem',
    docs: { description: 'forbid `/` and `%` on numbers: amounts and rates are bigint or fixed-point' },
    messages: {
      float: 'Division of numbers yields floating point; use bigint (or the Dec fixed-point type) in state-machine code.',
    },
    schema: [],
  },
  create(context) {
    return {
      BinaryExpression(node) {
        if (node.operator !== '/' && node.operator !== '%') return;
        if (isNumberType(typeOf(context, node.left)) || isNumberType(typeOf(context, node.right))) {
          context.report({ node, messageId: 'float' });
        }
      },
      AssignmentExpression(node) {
        if (node.operator !== '/=' && node.operator !== '%=') return;
        if (isNumberType(typeOf(context, node.left))) context.report({ node, messageId: 'float' });
      },
    };
  },
};

const noUnorderedIteration = {
  meta: {
    type: 'problem',
    docs: { description: 'forbid iterating a Map or Set: iterate keys in sorted order instead' },
    messages: {
      unordered:
        'Iterating a {{kind}} follows insertion order, which may differ between nodes; iterate sorted keys (see types/sorted.ts) or justify with an eslint-disable comment.',
    },
    schema: [],
  },
  create(context) {
    const check = (node, target) => {
      const t = typeOf(context, target);
      if (isUnorderedCollection(t)) {
        const kind = t.checker.typeToString(t.type).replace(/<.*/, '');
        context.report({ node, messageId: 'unordered', data: { kind } });
      }
    };
    return {
      ForOfStatement(node) {
        check(node, node.right);
      },
      SpreadElement(node) {
        check(node, node.argument);
      },
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== 'MemberExpression' || callee.computed) return;
        const name = callee.property.name;
        if (['keys', 'values', 'entries', 'forEach'].includes(name)) check(node, callee.object);
        // Array.from(map) and friends
        if (
          callee.object.type === 'Identifier' &&
          callee.object.name === 'Array' &&
          name === 'from' &&
          node.arguments.length > 0
        ) {
          check(node, node.arguments[0]);
        }
      },
    };
  },
};

/** Selectors for `no-restricted-syntax`: forbidden without type information. */
const restrictedSyntax = [
  { selector: 'ForInStatement', message: 'for...in follows property insertion order; iterate sorted keys.' },
  { selector: "NewExpression[callee.name='Date']", message: 'No wall-clock time in the state machine: use the block time from the context.' },
  { selector: "CallExpression[callee.object.name='Date']", message: 'No wall-clock time in the state machine: use the block time from the context.' },
  { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'No randomness in the state machine.' },
  { selector: "MemberExpression[object.name='performance']", message: 'No timers in the state machine.' },
  { selector: "MemberExpression[object.name='crypto'][property.name=/^(randomBytes|randomUUID|getRandomValues|randomInt)$/]", message: 'No randomness in the state machine.' },
  { selector: "CallExpression[callee.name=/^(parseFloat|setTimeout|setInterval|setImmediate)$/]", message: 'No floating point or timers in the state machine.' },
  { selector: "MemberExpression[property.name=/^(toFixed|toPrecision|parseFloat)$/]", message: 'No floating point in the state machine: use bigint or the Dec fixed-point type.' },
  { selector: "MemberExpression[object.name='Math'][property.name=/^(pow|sqrt|exp|log|log2|log10|sin|cos|tan|atan|atan2|cbrt|hypot|fround)$/]", message: 'Floating-point maths in the state machine: use bigint.' },
  { selector: 'Literal[raw=/^[0-9]*\\.[0-9]|^[0-9]+[eE]-/]', message: 'Floating-point literal in the state machine: use bigint or a Dec string.' },
  { selector: "CallExpression[callee.object.name='Object'][callee.property.name=/^(keys|values|entries)$/]", message: 'Object key order is insertion order; iterate sorted keys (see types/sorted.ts).' },
];

module.exports = {
  plugin: { rules: { 'no-float-division': noFloatDivision, 'no-unordered-iteration': noUnorderedIteration } },
  restrictedSyntax,
};

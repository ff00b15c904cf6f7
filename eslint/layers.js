/**
 * The layer rule: which top-level folder may import which. Lower layers (types, crypto,
 * store, abci) know nothing of the runtime, the runtime knows nothing of the chain (app/),
 * its modules (x/), the node or the CLI, and the node serves any ABCI app without knowing
 * ours. eslint.config.js applies `table` to every TypeScript file; test/lint/layers.test.ts
 * checks the sources against it and that the folder import graph has no cycle.
 */
'use strict';
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** The top-level folder of an absolute path inside the repository, or undefined outside it. */
function folderOf(file) {
  const rel = path.relative(root, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const parts = rel.split(path.sep);
  return parts.length > 1 ? parts[0] : undefined;
}

const noLayerViolation = {
  meta: {
    type: 'problem',
    docs: { description: 'forbid imports from a higher layer (the table in eslint.config.js)' },
    messages: {
      upward: '{{from}}/ must not import {{to}}/ ({{why}}); move the shared code down a layer or pass it in through an interface.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: {
          type: 'object',
          properties: { forbid: { type: 'array', items: { type: 'string' } }, why: { type: 'string' } },
          required: ['forbid', 'why'],
          additionalProperties: false,
        },
      },
    ],
  },
  create(context) {
    const table = context.options[0] || {};
    const from = folderOf(context.filename);
    const layer = from && table[from];
    if (!layer) return {};
    function check(node, source) {
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const to = folderOf(path.resolve(path.dirname(context.filename), source.value));
      if (to && to !== from && layer.forbid.includes(to)) {
        context.report({ node: source, messageId: 'upward', data: { from, to, why: layer.why } });
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      TSImportEqualsDeclaration: (node) => node.moduleReference.expression && check(node, node.moduleReference.expression),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') check(node, node.arguments[0]);
      },
    };
  },
};

/**
 * A module's public face: inside `x/`, a file may import another module only through that
 * module's `index.ts` (`../bank`, `../../bank/index`), never its internal files; the chain's
 * wiring and tools (`app/`, `cmd/`, `client/`, `node/`) likewise reach a module only through its
 * index. Tests may reach further (another module's CLI message builders, say); code may not.
 */
/** Folders outside x/ whose code reaches modules only through their index (the layer table keeps runtime/ and lower out of x/ entirely). */
const OUTSIDE_CALLERS = ['app', 'cmd', 'client', 'node', 'keyring'];

const noModuleInternals = {
  meta: {
    type: 'problem',
    docs: { description: "forbid importing another x/ module's internal files" },
    messages: {
      internal: "{{from}} must import x/{{to}} through its index.ts, not {{path}}; export what it needs there{{hint}}.",
    },
    schema: [],
  },
  create(context) {
    const rel = path.relative(root, context.filename).split(path.sep);
    if (rel.length < 2 || /\.test\.tsx?$/.test(context.filename)) return {};
    const inModule = rel[0] === 'x' && rel.length >= 3;
    if (!inModule && !OUTSIDE_CALLERS.includes(rel[0])) return {};
    const from = inModule ? rel[1] : undefined;
    const hint = inModule ? ` (or declare an expected keeper in x/${from}/types/expectedKeepers.ts)` : '';
    function check(source) {
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const target = path.relative(root, path.resolve(path.dirname(context.filename), source.value)).split(path.sep);
      if (target[0] !== 'x' || target.length < 2 || target[1] === from) return;
      const inner = target.slice(2);
      if (inner.length === 0 || (inner.length === 1 && /^index(\.ts)?$/.test(inner[0]))) return;
      context.report({ node: source, messageId: 'internal', data: { from: inModule ? `x/${from}` : `${rel[0]}/`, to: target[1], path: source.value, hint } });
    }
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

/** The folders that sit above the lower layers (types, crypto, store, abci). */
const upper = ['runtime', 'app', 'x', 'node', 'cmd', 'client', 'keyring'];

/** For each folder, the folders it must never import, and why (shown in the lint message). */
const table = {
  types: { forbid: [...upper, 'store', 'abci', 'crypto'], why: 'types/ is the bottom layer' },
  crypto: { forbid: [...upper, 'store', 'abci'], why: 'crypto/ sits under every layer but types/' },
  store: { forbid: [...upper, 'abci'], why: 'the store serves any state machine' },
  abci: { forbid: [...upper, 'store'], why: 'the ABCI wire protocol serves any app' },
  runtime: { forbid: ['app', 'x', 'cmd', 'node', 'keyring'], why: 'the runtime serves any chain and its modules (client/ only for the CLI contract of a module)' },
  x: { forbid: ['app', 'node', 'cmd'], why: 'app/ wires the modules, never the reverse; a module is state machine, not node or CLI' },
  node: { forbid: ['app', 'x', 'cmd'], why: 'the node runs any ABCI app; cmd/ hands it ours' },
};

module.exports = { table, folderOf, plugin: { rules: { 'no-layer-violation': noLayerViolation, 'no-module-internals': noModuleInternals } } };

// The layering rule of DESIGN.md ("Layout", "Rules of the house") and docs/architecture.md, as an
// ESLint rule: each folder of main/ may import only itself, shared/, and the folders its row of
// LAYERS names. Imports are resolved against the importing file, so `../../store/x.js` from
// main/proxy/transport/ counts as main/store. Electron, node:* and the renderer have rules of their
// own in eslint.config.js.
import { dirname, relative, resolve, sep } from 'node:path';

/** What each folder of main/ may import besides itself and shared/. No folder may import one that can import it. */
export const LAYERS = {
  common: [],
  policy: ['common'],
  store: ['common', 'policy'],
  audit: ['common', 'policy'],
  secrets: ['common', 'store'],
  // proxy, service → sync: the managed layer of the policy is decided there (signed bundle, managed configuration).
  proxy: ['common', 'policy', 'store', 'audit', 'secrets', 'sync'],
  service: ['common', 'policy', 'store', 'audit', 'secrets', 'clients', 'sync'],
  clients: ['common', 'policy', 'store', 'secrets'],
  sync: ['common', 'policy', 'store', 'audit', 'secrets'],
  // cli → ipc: `serve --ui` serves the contract's handlers over a WebSocket (main/ipc/ui-server.ts), never Electron's handle().
  cli: ['common', 'policy', 'store', 'audit', 'secrets', 'proxy', 'service', 'clients', 'sync', 'ipc'],
  ipc: ['common', 'policy', 'store', 'audit', 'secrets', 'service', 'clients', 'sync'],
  app: ['common'],
  preload: [],
  // main/index.ts, the Electron composition root: the boot list may start anything but the CLI.
  'index.ts': ['common', 'policy', 'store', 'audit', 'secrets', 'service', 'clients', 'sync', 'app', 'ipc'],
};

/** The layer a path of the repository belongs to: a folder of main/, 'index.ts', 'shared', or undefined. */
function layerOf(root, file) {
  const parts = relative(root, file).split(sep);
  if (parts[0] === 'shared') return 'shared';
  if (parts[0] !== 'main') return undefined;
  if (parts.length === 2) return parts[1] === 'index.ts' || parts[1] === 'index.js' ? 'index.ts' : undefined;
  return parts[1];
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports between the folders of main/ run only the way the layer table allows (DESIGN.md).' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: {
      upward:
        'main/{{from}} may not import main/{{to}}: it may import only {{allowed}} (layer table in build/eslint-layers.js, DESIGN.md "Rules of the house"). Move the shared piece down, or pass it in from the composition root.',
      unknown: 'main/{{from}} is not in the layer table (build/eslint-layers.js): add its row, with what it may import, and say why in docs/architecture.md.',
    },
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const from = layerOf(root, context.filename);
    if (from === undefined || from === 'shared') return {};
    const allowed = LAYERS[from];
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      if (!allowed) return context.report({ node, messageId: 'unknown', data: { from } });
      const to = layerOf(root, resolve(dirname(context.filename), source));
      if (to === undefined || to === from || to === 'shared' || allowed.includes(to)) return;
      context.report({ node, messageId: 'upward', data: { from, to, allowed: ['shared', ...allowed].map((l) => `${l}/`).join(', ') } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source.value : undefined),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
    };
  },
};

export const layersPlugin = { rules: { layers: rule } };

// A lint rule that makes the walls between modules bite (issue 16): code in src/modules/<a>/
// imports another module only through its index.ts, the composition root (src/*.ts) only
// modules' index.ts, src/platform/ and src/db/ no module at all, and no production file imports
// test helpers. Imports are resolved to files, so a module's own subfolders ('../x.js' from
// catalog/public/) are never mistaken for another module.
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '..', 'src');

/** Where a file lives: a module's name, 'platform', 'db', 'root' (src/*.ts) or undefined. */
function homeOf(file) {
  const relative = path.relative(SRC, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const [first, second, ...rest] = relative.split(path.sep);
  if (first === 'modules' && second !== undefined && rest.length > 0) return `modules/${second}`;
  if (first === 'platform' || first === 'db') return first;
  if (second === undefined) return 'root';
  return undefined;
}

const isTestFile = (file) => /\.test\.tsx?$/.test(file) || /[\\/]test[\\/]/.test(file);
const isTestHelper = (file) => /\.test-helpers\.[jt]sx?$|[\\/]testing[\\/]/.test(file);
const isIndex = (file) => /[\\/]index\.[jt]sx?$/.test(file);

export default {
  meta: {
    type: 'problem',
    docs: {
      description: 'modules meet only through their index.ts; platform and db know no module',
    },
    schema: [],
    messages: {
      deep: "'{{source}}' reaches inside module {{target}}: import it from its index.ts",
      platform: "'{{source}}': {{home}}/ must not depend on a module ({{target}})",
      helper: "'{{source}}' is a test helper: production code must not import it",
    },
  },
  create(context) {
    const file = context.filename;
    const home = homeOf(file);
    if (home === undefined || isTestFile(file) || isTestHelper(file)) return {};
    function check(node) {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), source);
      const data = { source, home, target: homeOf(target) ?? target };
      if (isTestHelper(target)) {
        context.report({ node: node.source, messageId: 'helper', data });
        return;
      }
      const targetHome = homeOf(target);
      if (!targetHome?.startsWith('modules/') || targetHome === home) return;
      if (home === 'platform' || home === 'db') {
        context.report({ node: node.source, messageId: 'platform', data });
      } else if (!isIndex(target) || path.dirname(target) !== path.join(SRC, targetHome)) {
        context.report({ node: node.source, messageId: 'deep', data });
      }
    }
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression(node) {
        if (node.source.type === 'Literal') check({ source: node.source });
      },
    };
  },
};

/**
 * Lint rule: a workspace package (packages/<name>) is a project of its own. Its code, tests
 * included, imports only its own files and its dependencies, never the orchestrator around it
 * (the repo's src/, test/, bench/, scripts/, or the root package by name).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const REPO_ROOT = path.resolve(import.meta.dirname, '..');
const PACKAGES_DIR = path.join(REPO_ROOT, 'packages');
const ORCHESTRATOR = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).name;

/** packages/<name> of a file, or undefined when the file is not in a workspace package. */
function packageRootOf(filename) {
  const relative = path.relative(PACKAGES_DIR, filename);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const [name] = relative.split(path.sep);
  return name ? path.join(PACKAGES_DIR, name) : undefined;
}

function leavesPackage(filename, root, specifier) {
  if (specifier === ORCHESTRATOR || specifier.startsWith(`${ORCHESTRATOR}/`)) return true;
  if (!specifier.startsWith('.') && !path.isAbsolute(specifier)) return false;
  const target = path.resolve(path.dirname(filename), specifier);
  return target !== root && !target.startsWith(root + path.sep);
}

export const packageBoundary = {
  meta: {
    type: 'problem',
    docs: { description: 'A workspace package imports nothing from the orchestrator around it.' },
    messages: {
      outside:
        '{{pkg}} is a package of its own and imports nothing from the orchestrator: "{{specifier}}" is outside packages/{{pkg}}. Copy what it needs into the package.',
    },
    schema: [],
  },
  create(context) {
    const root = packageRootOf(context.filename);
    if (!root) return {};
    const check = (node) => {
      if (node?.type !== 'Literal' || typeof node.value !== 'string') return;
      if (!leavesPackage(context.filename, root, node.value)) return;
      context.report({ node, messageId: 'outside', data: { specifier: node.value, pkg: path.basename(root) } });
    };
    const isRequire = (callee) =>
      (callee.type === 'Identifier' && callee.name === 'require') ||
      (callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && callee.object.name === 'require');
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSExternalModuleReference: (node) => check(node.expression),
      TSImportType: (node) => check(node.argument?.literal ?? node.argument),
      CallExpression: (node) => {
        if (isRequire(node.callee)) check(node.arguments[0]);
      },
    };
  },
};

export default { rules: { 'package-boundary': packageBoundary } };

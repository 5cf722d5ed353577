// ESLint's flat config: JavaScript's and typescript-eslint's recommended rules (not the
// type-checked presets: `npm run typecheck` already runs the compiler, and linting stays fast).
// Formatting is Prettier's job (.prettierrc.json); docs/contributors/tooling.md explains both.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { defineConfig } from 'eslint/config';

export default defineConfig(
  { ignores: ['node_modules/', 'cdk.out/', '.tmp/', 'coverage/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // The code drops a field by destructuring it beside a rest (`{ secret: _secret, ...rest }`),
      // and an `_`-named parameter says "part of the signature, not used here".
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests and benchmarks read parsed JSON, CloudFormation templates and child-process messages,
    // whose shape the assertions themselves check; `any` there is what JSON.parse returns.
    files: ['test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The console's script runs in the browser (docs/on-call/console.md), not in Node.
    files: ['console/**/*.js'],
    languageOptions: { sourceType: 'script', globals: globals.browser },
  },
  {
    // Plain CommonJS run by node itself (jest's config, the bundle runner): require is the import.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

// typescript-eslint's strict, type-checked rules over everything the compiler
// sees (src, test, bench). Where a rule is tuned below, the comment says why.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'scripts/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Numbers in messages ("after 40 ms") are what templates are for; objects and undefined still are not.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Leaving a key out of an object by destructuring it away is how a copy without it is made.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test runs what describe/it return itself; awaiting them would serialise the suite.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'before', 'after', 'beforeEach', 'afterEach', 'suite'] }] },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Tests and the bench may state what they know of their own fixtures and samples: a wrong `!`
      // throws at once and fails the run. The gateway itself (src/) must prove it instead.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests send what real clients send, deprecated fields (max_tokens, user, top_k, ...) included.
      '@typescript-eslint/no-deprecated': 'off',
      // A test double is written as the async function it stands in for, await or not.
      '@typescript-eslint/require-await': 'off',
    },
  },
);

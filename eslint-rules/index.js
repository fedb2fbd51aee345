// The project's own ESLint rules, loaded by eslint.config.js as the plugin `local`.
import noShortNames from './no-short-names.js';

export default {
  meta: { name: 'local' },
  rules: { 'no-short-names': noShortNames },
};

#!/usr/bin/env node
// Launches the built CLI (`npm run build` first): `npx sagaflow --help`.
require('../dist/apps/cli/src/main.js');

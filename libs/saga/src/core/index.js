"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.script = void 0;
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const script = () => (0, node_fs_1.readFileSync)((0, node_path_1.join)(__dirname, 'store/lua/x-1.lua'), 'utf8');
exports.script = script;
//# sourceMappingURL=index.js.map
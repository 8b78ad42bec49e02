// Bundles src/index.ts (and socket.io-client) into one minified IIFE that a page loads with a single
// script tag. Output: ../platform_api/widget/static/widget.js (gitignored; `make widget` builds it).
import { build } from "esbuild";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outfile = resolve(here, "../platform_api/widget/static/widget.js");
mkdirSync(dirname(outfile), { recursive: true });

const result = await build({
  entryPoints: [resolve(here, "src/index.ts")],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2022", "chrome100", "safari15", "firefox100", "edge100"],
  outfile,
  legalComments: "eof",
  metafile: true,
  logLevel: "warning",
});
const bytes = Object.values(result.metafile.outputs)[0].bytes;
console.log(`==> [widget] built ${outfile} (${(bytes / 1024).toFixed(1)} KiB)`);

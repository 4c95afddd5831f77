// Bundles the dashboard for the service: `node build.mjs <out folder>` writes index.html, app.css and the
// scripts under assets/ (esbuild, one entry, Mermaid split into chunks loaded only by the build-request page).
// The service's build runs it (Dashboard.targets) and embeds the folder; see docs/dashboard.md.
import { build } from "esbuild";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const out = process.argv[2];
if (!out) {
  console.error("build.mjs: give the folder to write the dashboard to");
  process.exit(2);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ["src/main.ts"],
  bundle: true,
  splitting: true,
  format: "esm",
  target: "es2022",
  minify: true,
  legalComments: "linked",
  outdir: join(out, "assets"),
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});
cpSync("static", out, { recursive: true });

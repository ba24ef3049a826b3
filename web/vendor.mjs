// Copy the front-end files the app serves from node_modules into the Python package.
//
// package.json names them under "carbontrack.vendor": { "<package>": { "<path in the
// package>": "<name under static/vendor/<package>/>" } }. Only those files are copied, so the
// wheel carries what the pages load and each package's licence, never a whole node_modules.
// The target folder is rebuilt from scratch, so a file dropped from the list disappears too;
// versions.json, written last, records what was copied (and is make's target).
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "src", "carbontrack", "web", "static", "vendor");
const manifest = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));

rmSync(target, { recursive: true, force: true });
const versions = {};
for (const [name, files] of Object.entries(manifest.carbontrack.vendor)) {
  const installed = join(here, "node_modules", name);
  for (const [source, destination] of Object.entries(files)) {
    const from = join(installed, source);
    if (!existsSync(from)) {
      console.error(`vendor: ${name} has no ${source}; is package-lock.json installed (npm ci)?`);
      process.exit(1);
    }
    cpSync(from, join(target, name, destination), { recursive: true });
  }
  const { version } = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
  versions[name] = version;
  console.log(`vendor: ${name}@${version} -> ${join("static", "vendor", name)}/`);
}
writeFileSync(join(target, "versions.json"), `${JSON.stringify(versions, null, 2)}\n`);

// The license key file a product server holds: the compact JWS and a newline. Replaced atomically
// (a temporary file beside it, fsync, rename), keeping the previous key as FILE.bak, so that a
// crash at any moment leaves either the old key or the new one, never a torn file.
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import path from "node:path";
import { AgentError } from "./errors";
import { decodeClaims, type KeyClaims } from "./claims";

export interface InstalledKey {
  jws: string;
  claims: KeyClaims;
}

/** Reads and decodes (without verifying) the key installed in FILE. */
export function readKeyFile(file: string): InstalledKey {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AgentError(code === "ENOENT" ? `The key file ${file} does not exist.` : `The key file ${file} cannot be read (${code ?? "error"}).`);
  }
  const jws = text.trim();
  const claims = decodeClaims(jws);
  if (!claims) throw new AgentError(`The key file ${file} does not hold a license key (a compact JWS with license claims).`);
  return { jws, claims };
}

function fsyncDir(dir: string) {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse to open a directory; the rename is still atomic.
  }
}

/** Installs `jws` as FILE: the old content goes to FILE.bak, the new one is written and synced, then renamed over FILE. */
export function installKeyFile(file: string, jws: string): void {
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, `${jws.trim()}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (existsSync(file)) copyFileSync(file, `${file}.bak`);
  renameSync(tmp, file);
  fsyncDir(dir);
}

/** Writes a small file (the agent's state) atomically in the same way, without a backup. */
export function writeFileAtomically(file: string, text: string): void {
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

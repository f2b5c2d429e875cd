// The file-backed stores of `agent check/report/run`: the key file, and the state file beside it
// (FILE.state.json: installation id, last check, retry state, reports waiting for a retry).
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { AgentError } from "./errors";
import { installKeyFile, readKeyFile, writeFileAtomically, type InstalledKey } from "./keyfile";
import { decodeClaims } from "./claims";
import { initialRunState, type RunState } from "./plan";
import type { KeyStore, StateStore } from "./server";

export const stateFileOf = (keyFile: string) => `${keyFile}.state.json`;

export const newInstallationId = () => `vbr-${randomBytes(8).toString("hex")}`;

export class FileKeyStore implements KeyStore {
  constructor(readonly file: string) {}
  read(): InstalledKey {
    return readKeyFile(this.file);
  }
  install(jws: string): void {
    installKeyFile(this.file, jws);
  }
}

export class FileStateStore implements StateStore {
  private cached: RunState | null = null;
  constructor(
    readonly file: string,
    private readonly fresh: () => RunState,
  ) {}

  load(): RunState {
    if (this.cached) return this.cached;
    if (!existsSync(this.file)) {
      this.cached = this.fresh();
      this.save(this.cached);
      return this.cached;
    }
    let s: RunState;
    try {
      s = JSON.parse(readFileSync(this.file, "utf8")) as RunState;
    } catch {
      throw new AgentError(`The state file ${this.file} is not readable JSON; move it away to start afresh.`);
    }
    if (s?.version !== 1 || typeof s.installationId !== "string") throw new AgentError(`The state file ${this.file} is not an agent state; move it away to start afresh.`);
    this.cached = s;
    return s;
  }

  save(state: RunState): void {
    this.cached = state;
    writeFileAtomically(this.file, `${JSON.stringify(state, null, 2)}\n`);
  }
}

/** The state store beside `keyFile`; a new state gets `installationId` (or a new one) and starts now. */
export function stateStoreFor(keyFile: string, now: () => Date, installationId?: string): FileStateStore {
  const store = new FileStateStore(stateFileOf(keyFile), () => initialRunState(installationId ?? newInstallationId(), now()));
  return store;
}

/** In-memory stores (the simulator's servers). */
export class MemoryKeyStore implements KeyStore {
  private key: InstalledKey;
  constructor(jws: string) {
    this.key = { jws, claims: decodeOrThrow(jws) };
  }
  read(): InstalledKey {
    return this.key;
  }
  install(jws: string): void {
    this.key = { jws, claims: decodeOrThrow(jws) };
  }
}

export class MemoryStateStore implements StateStore {
  constructor(private state: RunState) {}
  load(): RunState {
    return this.state;
  }
  save(state: RunState): void {
    this.state = state;
  }
}

function decodeOrThrow(jws: string) {
  const c = decodeClaims(jws);
  if (!c) throw new AgentError("not a license key");
  return c;
}

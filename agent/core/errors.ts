// The agent's expected failures: a message in plain words and the exit code the CLI ends with.
// Anything else is a bug and is printed as "unexpected error" (with the stack only when AGENT_DEBUG=1).

export const EXIT = {
  ok: 0,
  /** Bad options or an unreadable / unusable key file. */
  usage: 2,
  invalidLicense: 3,
  unsupportedLicenseType: 4,
  contractTerminated: 5,
  generationFailed: 6,
  connectionFailed: 7,
  invalidAnswer: 8,
  /** The portal refused a usage report (4xx other than a connection problem). */
  reportRefused: 9,
  /** The simulator found an invariant violated. */
  invariantViolated: 10,
} as const;

export class AgentError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}

/**
 * Secrets the service instances share (for example the key that signs the pending-login
 * cookie), created on first use and the same on every instance.
 */
export abstract class ServiceSecrets {
  /** The named secret (32 random bytes), created by whichever instance asks first. */
  abstract get(name: string): Promise<Buffer>;
}

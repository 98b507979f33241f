/** Why a session ended; kept with the session, sent to audit and shown to administrators. */
export type EndCause =
  /** The user logged out, at an app (SDK) or at the service. */
  | 'logout'
  /** An administrator ended it. */
  | 'admin'
  /** Unused for longer than the idle timeout. */
  | 'idle-timeout'
  /** Older than the absolute lifetime. */
  | 'absolute-timeout'
  /** A newer sign-in pushed it out under the `invalidate-before` concurrent-session policy. */
  | 'evicted';

import { ConcurrentUpdateConflict, TesseraError, VersionMismatch } from '../errors';

/** No app has this client id. */
export class AppNotFound extends TesseraError {
  readonly code = 'app_not_found';

  constructor(readonly clientId: string) {
    super(`no app has the client id "${clientId}"`);
  }
}

/** Registering a client id that is already taken, in any realm; nothing was changed. */
export class AppAlreadyRegistered extends TesseraError {
  readonly code = 'app_exists';

  constructor(readonly clientId: string) {
    super(`an app with the client id "${clientId}" is already registered`);
  }
}

/** If-Match named a version of the app that is no longer the current one; nothing was changed. */
export class AppVersionMismatch extends VersionMismatch {
  constructor(currentVersion: number) {
    super(String(currentVersion));
    this.message = 'the app changed since the version given in If-Match; read it again';
  }
}

/** Other writers kept changing the app while this change was applied; the caller may retry. */
export class AppChangeConflict extends ConcurrentUpdateConflict {
  constructor() {
    super();
    this.message = 'the app is being changed by other requests at once; retry the request';
  }
}

/** App settings that break a rule (a URI off the realm's domain, an unknown realm...); nothing was changed. */
export class InvalidAppSettings extends TesseraError {
  readonly code = 'invalid_request';

  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

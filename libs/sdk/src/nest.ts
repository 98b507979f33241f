import type {
  DynamicModule,
  ExecutionContext,
  InjectionToken,
  MiddlewareConsumer,
  ModuleMetadata,
  NestModule,
  OnApplicationShutdown,
  OptionalFactoryDependency,
  Provider,
} from '@nestjs/common';
import { Global, Inject, Module, Optional, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import type { TesseraClientOptions } from './client';
import { TesseraClient } from './client';
import type { TesseraSessionOptions } from './express';
import { tesseraSession } from './express';
import type { TesseraLogin, TesseraLoginOptions } from './login/tessera-login';
import { tesseraLogin } from './login/tessera-login';
import type { RequestSession } from './request-session';
import type {
  BackchannelLogoutHandler,
  BackchannelLogoutOptions,
} from './logout/backchannel-logout';
import { tesseraBackchannelLogout } from './logout/backchannel-logout';
import { onPostTo } from './logout/on-post-to';

/** The back-channel logout endpoint of a Nest app (see `tesseraBackchannelLogout`). */
export interface TesseraModuleBackchannelOptions extends Omit<
  BackchannelLogoutOptions,
  'client' | 'now'
> {
  /** The path of the registered back-channel URI, e.g. `/auth/backchannel-logout`. */
  readonly path: string;
}

/** Login for a Nest app: the client, the cookie and the clock come from the module options. */
export interface TesseraModuleLoginOptions extends Omit<
  TesseraLoginOptions,
  'client' | 'cookie' | 'onFlushError' | 'now'
> {
  /**
   * `all` (default): every route needs a signed-in user. `none`: only the login routes are
   * mounted; protect routes yourself with `consumer.apply(login.requireLogin)`, injecting
   * `TESSERA_LOGIN`.
   */
  readonly protect?: 'all' | 'none';
}

export type TesseraModuleOptions = TesseraClientOptions &
  Omit<TesseraSessionOptions, 'client'> & {
    /** Adds the login flow (see `tesseraLogin`): its routes, and login required on every route. */
    readonly login?: TesseraModuleLoginOptions;
    /**
     * Serves POST on `path` as the back-channel logout endpoint, ahead of the login requirement.
     * `serviceUrl` defaults to the login's. Inject `TESSERA_BACKCHANNEL_LOGOUT` for `receive`.
     */
    readonly backchannelLogout?: TesseraModuleBackchannelOptions;
  };

export interface TesseraModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  readonly useFactory: (...args: never[]) => TesseraModuleOptions | Promise<TesseraModuleOptions>;
  readonly inject?: (InjectionToken | OptionalFactoryDependency)[];
}

export const TESSERA_MODULE_OPTIONS = 'TESSERA_MODULE_OPTIONS';
/** The `TesseraLogin` handlers (`startLogin`, `endAppSession`...); undefined without `login`. */
export const TESSERA_LOGIN = 'TESSERA_LOGIN';
/** The `BackchannelLogoutHandler` (its `receive` for a controller); undefined without the option. */
export const TESSERA_BACKCHANNEL_LOGOUT = 'TESSERA_BACKCHANNEL_LOGOUT';

/**
 * Global module: provides one `TesseraClient` (inject it by class) and runs the session middleware
 * on every route. Express platform only. The client's connections close on application shutdown.
 */
@Global()
@Module({})
export class TesseraModule implements NestModule, OnApplicationShutdown {
  constructor(
    private readonly client: TesseraClient,
    @Inject(TESSERA_MODULE_OPTIONS) private readonly options: TesseraModuleOptions,
    @Optional() @Inject(TESSERA_LOGIN) private readonly login?: TesseraLogin,
    @Optional()
    @Inject(TESSERA_BACKCHANNEL_LOGOUT)
    private readonly backchannel?: BackchannelLogoutHandler,
  ) {}

  static forRoot(options: TesseraModuleOptions): DynamicModule {
    return moduleWith([], { provide: TESSERA_MODULE_OPTIONS, useValue: options });
  }

  /** For options that come from configuration: `useFactory(config: ConfigService) => ({...})`. */
  static forRootAsync(options: TesseraModuleAsyncOptions): DynamicModule {
    return moduleWith(options.imports ?? [], {
      provide: TESSERA_MODULE_OPTIONS,
      useFactory: options.useFactory,
      inject: options.inject ?? [],
    });
  }

  configure(consumer: MiddlewareConsumer): void {
    const { login, backchannel } = this;
    // First in the chain: the service calls it without a session, and it must not need one.
    const receiver =
      backchannel === undefined || this.options.backchannelLogout === undefined
        ? []
        : [onPostTo(this.options.backchannelLogout.path, backchannel)];
    if (login === undefined) {
      consumer
        .apply(...receiver, tesseraSession({ ...this.options, client: this.client }))
        .forRoutes('*');
      return;
    }
    const guard = this.options.login?.protect === 'none' ? [] : [login.requireLogin];
    consumer.apply(...receiver, login.session, login.routes, ...guard).forRoutes('*');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

function moduleWith(
  imports: NonNullable<ModuleMetadata['imports']>,
  optionsProvider: Provider,
): DynamicModule {
  return {
    module: TesseraModule,
    global: true,
    imports,
    providers: [
      optionsProvider,
      {
        provide: TesseraClient,
        useFactory: (options: TesseraModuleOptions) => new TesseraClient(options),
        inject: [TESSERA_MODULE_OPTIONS],
      },
      {
        provide: TESSERA_LOGIN,
        useFactory: (options: TesseraModuleOptions, client: TesseraClient) =>
          options.login === undefined
            ? undefined
            : tesseraLogin({
                ...options.login,
                client,
                cookie: options.cookie,
                onFlushError: options.onFlushError,
                now: options.now,
              }),
        inject: [TESSERA_MODULE_OPTIONS, TesseraClient],
      },
      {
        provide: TESSERA_BACKCHANNEL_LOGOUT,
        useFactory: (options: TesseraModuleOptions, client: TesseraClient) => {
          const backchannel = options.backchannelLogout;
          if (backchannel === undefined) return undefined;
          return tesseraBackchannelLogout({
            serviceUrl: options.login?.serviceUrl,
            ...backchannel,
            client,
            now: options.now,
          });
        },
        inject: [TESSERA_MODULE_OPTIONS, TesseraClient],
      },
    ],
    exports: [TesseraClient, TESSERA_MODULE_OPTIONS, TESSERA_LOGIN, TESSERA_BACKCHANNEL_LOGOUT],
  };
}

/** The request's `RequestSession`, or undefined for an anonymous request. */
export const TesseraSession = createParamDecorator(
  (_data: unknown, context: ExecutionContext): RequestSession | undefined =>
    context.switchToHttp().getRequest<Request>().tessera,
);

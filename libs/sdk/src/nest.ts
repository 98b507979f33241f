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
import { Global, Inject, Module, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import type { TesseraClientOptions } from './client';
import { TesseraClient } from './client';
import type { TesseraSessionOptions } from './express';
import { tesseraSession } from './express';
import type { RequestSession } from './request-session';

export type TesseraModuleOptions = TesseraClientOptions & Omit<TesseraSessionOptions, 'client'>;

export interface TesseraModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  readonly useFactory: (...args: never[]) => TesseraModuleOptions | Promise<TesseraModuleOptions>;
  readonly inject?: (InjectionToken | OptionalFactoryDependency)[];
}

export const TESSERA_MODULE_OPTIONS = 'TESSERA_MODULE_OPTIONS';

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
    consumer.apply(tesseraSession({ ...this.options, client: this.client })).forRoutes('*');
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
    ],
    exports: [TesseraClient, TESSERA_MODULE_OPTIONS],
  };
}

/** The request's `RequestSession`, or undefined for an anonymous request. */
export const TesseraSession = createParamDecorator(
  (_data: unknown, context: ExecutionContext): RequestSession | undefined =>
    context.switchToHttp().getRequest<Request>().tessera,
);

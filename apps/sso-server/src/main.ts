import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { EmbeddedMongo } from '@tessera/embedded-mongo';
import { startEmbeddedMongo } from '@tessera/embedded-mongo';
import type { Server } from 'node:http';
import { AppModule } from './app.module';
import { loadRealmsConfig } from './config/load-realms-config';
import { loadServiceSettings } from './config/service-settings';
import { ConfigurationError } from './config/validation-messages';
import { configureApp } from './http/configure-app';

async function main(): Promise<void> {
  const logger = new Logger('Tessera');
  const settings = loadServiceSettings();
  const realms = loadRealmsConfig(settings.realmsFile, {
    production: settings.production,
    env: process.env,
  });
  if (!settings.realmsFile) {
    logger.warn(
      'TESSERA_CONFIG is not set: using the demo realm from config/demo.json (development only)',
    );
  }

  let embedded: EmbeddedMongo | undefined;
  let mongodbUri = settings.mongodb.uri;
  if (!mongodbUri) {
    embedded = await startEmbeddedMongo({
      dataDir: settings.mongodb.dataDir,
      log: (line) => logger.log(line),
    });
    mongodbUri = embedded.uri;
  }

  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ settings, realms, mongodbUri }),
    { bodyParser: false },
  );
  configureApp(app, settings);
  await app.listen(settings.port, settings.host);

  logger.log(`Tessera is listening on http://${settings.host}:${settings.port}`);
  logger.log(`Public URL (issuer): ${settings.publicUrl.href}`);
  logger.log(
    embedded
      ? `Data: embedded ${embedded.kind} keeping its files in ${embedded.dataDir}`
      : `Data: MongoDB from MONGODB_URI, database "${settings.mongodb.dbName}"`,
  );

  const stop = async (signal: string) => {
    logger.log(`${signal}: shutting down`);
    await drainHttp(app.getHttpServer(), 10_000);
    await app.close();
    await embedded?.stop();
    process.exit(0);
  };
  process.once('SIGINT', (signal) => void stop(signal));
  process.once('SIGTERM', (signal) => void stop(signal));
}

/**
 * Stops accepting connections and waits (bounded) for requests in flight, before Nest closes the
 * database under them: a rolling restart then fails no request.
 */
function drainHttp(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, timeoutMs).unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof ConfigurationError
      ? `${error.message}\n`
      : `${(error as Error).stack ?? String(error)}\n`,
  );
  process.exit(1);
});

import { TesseraClient } from '@tessera/sdk';
import { clientOptionsOf, createDemoApp } from './create-demo-app';
import { DemoConfigError, readDemoConfig } from './demo-config';

/**
 * Starts one demo app. `npm run demo -- shop` (or `portal`) takes local defaults for the demo
 * realm; every DEMO_* and TESSERA_* variable overrides them (see docs/demo.md).
 */
function main(): void {
  const { config, warnings } = readDemoConfig(process.env, process.argv[2]);
  const log = (line: string) => process.stdout.write(`[${config.name}] ${line}\n`);
  for (const warning of warnings) log(`warning: ${warning}`);

  const client = new TesseraClient(clientOptionsOf(config));
  const app = createDemoApp(config, { client, log });
  const server = app.listen(config.port, config.host, (error?: Error) => {
    if (error) {
      process.stderr.write(`cannot listen on ${config.host}:${config.port}: ${error.message}\n`);
      process.exit(1);
    }
    log(`listening on http://${config.host}:${config.port}, open ${config.publicUrl.href}`);
    log(`signs in at ${config.tesseraUrl.href} (API calls to ${config.tesseraInternalUrl.href})`);
  });

  const stop = (signal: string) => {
    log(`${signal}: shutting down`);
    server.close(() => void client.close().then(() => process.exit(0)));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

try {
  main();
} catch (error) {
  process.stderr.write(
    error instanceof DemoConfigError
      ? `${error.message}\n`
      : `${(error as Error).stack ?? String(error)}\n`,
  );
  process.exit(1);
}

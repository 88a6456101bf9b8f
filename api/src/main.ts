import 'reflect-metadata';
import { ConfigError } from './infrastructure/config/app-config';
import { APP_CONFIG, AppConfig } from './infrastructure/config/app-config';
import { createHttpApp } from './http-app';

async function main(): Promise<void> {
  const app = await createHttpApp();
  const config = app.get<AppConfig>(APP_CONFIG);
  await app.listen(config.port);
  process.stdout.write(`${JSON.stringify({ level: 30, msg: `API listening on ${config.publicUrl}` })}\n`);
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`API failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});

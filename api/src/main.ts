import 'reflect-metadata';
import { ConfigError } from './infrastructure/config/app-config';
import { APP_CONFIG, type AppConfig } from './infrastructure/config/app-config';
import { Logger } from 'nestjs-pino';
import { createHttpApp } from './http-app';
import { BankInvalidError, BankSyncService } from './modules/question-bank/bank-sync.service';

async function main(): Promise<void> {
  const app = await createHttpApp();
  const config = app.get<AppConfig>(APP_CONFIG);
  await app.init(); // migrations run here, before the bank sync that needs them
  if (config.bankSyncOnStart) {
    // A broken bank is reported and the last good bank stays in service; it never blocks start-up.
    await app
      .get(BankSyncService)
      .syncFromFiles()
      .catch((error) => {
        const problems = error instanceof BankInvalidError ? error.problems.map((p) => `${p.file}:${p.line}: ${p.message}`) : [];
        app.get(Logger).error(`question bank not synced: ${error.message}${problems.length ? `\n${problems.join('\n')}` : ''}`);
      });
  }
  await app.listen(config.port);
  // Through the logger, so that the line has the format of every other one (LOG_FORMAT).
  app.get(Logger).log(`API listening on ${config.publicUrl}`, 'Main');
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`API failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});

import { newCandidates, startAttempt } from './candidates';
import { buildApiIfStale, DrillPlatform } from './platform';
import { SaveStorm } from './save-storm';

/**
 * Fault drills on the answer-save path (issue #15): the API process killed outright, and every
 * PostgreSQL connection cut, while candidates save answers. An acknowledged save is a promise.
 */
const CANDIDATES = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('drill: the API and PostgreSQL fail under answer saves', () => {
  let platform: DrillPlatform;

  beforeAll(async () => {
    buildApiIfStale();
    platform = await DrillPlatform.create('drill_saves');
    await platform.start('api');
    await platform.start('worker');
  }, 240_000);

  afterAll(async () => {
    await platform?.close();
  }, 60_000);

  async function storm(label: string): Promise<SaveStorm> {
    const candidates = await newCandidates(platform, label, CANDIDATES);
    const sittings = await Promise.all(
      candidates.map(async (candidate) => ({ candidate, attempt: await startAttempt(platform.baseUrl, candidate) })),
    );
    return new SaveStorm(platform, sittings);
  }

  it('loses no acknowledged save when the API is SIGKILLed twice mid-stream', async () => {
    await platform.reporting(async () => {
      const saves = await storm('kill');
      saves.start();
      const downMs: number[] = [];
      for (let kill = 0; kill < 2; kill++) {
        await sleep(2_500);
        downMs.push(await platform.restart('api', 'SIGKILL'));
      }
      await sleep(2_500);
      await saves.stop();
      const lost = await saves.lostSaves();
      console.log(
        `[drill] API SIGKILL ×2 during saves: ${saves.acknowledgedCount} acknowledged (${saves.questionsAcknowledged} questions, ` +
          `${CANDIDATES} candidates), ${lost.length} lost; down ${downMs.join(' + ')} ms; answers: ${saves.summary()}`,
      );
      expect(saves.count('refused')).toBeGreaterThan(0); // the API really was down while candidates saved
      expect(lost).toEqual([]);
    });
  }, 120_000);

  it('answers no 401 and loses no acknowledged save when every PostgreSQL connection is cut three times', async () => {
    await platform.reporting(async () => {
      const saves = await storm('pgcut');
      saves.start();
      let terminated = 0;
      for (let cut = 0; cut < 3; cut++) {
        await sleep(2_000);
        // Fault injection: the owner ends every other backend of the drill database (the API's and the worker's pools).
        const rows = await platform.query<{ pid: number }>(
          `SELECT pg_terminate_backend(pid) AS pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        terminated += rows.length;
      }
      const acksBeforeRecovery = saves.acknowledgedCount;
      await sleep(3_000);
      await saves.stop();
      const lost = await saves.lostSaves();
      const unexpected = [...saves.statuses.keys()].filter((s) => !['200', '429', '503'].includes(s));
      console.log(
        `[drill] PostgreSQL connections cut ×3 (${terminated} backends) during saves: ${saves.acknowledgedCount} acknowledged, ` +
          `${lost.length} lost, ${saves.count('401')} × 401, ${saves.count('503')} × 503; answers: ${saves.summary()}`,
      );
      expect(saves.count('401')).toBe(0);
      expect(unexpected).toEqual([]);
      expect(lost).toEqual([]);
      expect(saves.acknowledgedCount).toBeGreaterThan(acksBeforeRecovery); // saves succeed again after the last cut
      expect(platform.running('api')).toBe(true);
      expect(platform.running('worker')).toBe(true);
    });
  }, 120_000);
});

// bench:exam --mode paced (see exam.mjs): candidates paced as real ones (issue #16): N (default 10,000) start within
// --ramp seconds, each saves an answer every 20–40 s (--save-every-ms MIN-MAX), answers all 20 questions and
// submits. Targets: 0 errors, start p99 < 500 ms, save p99 < 100 ms.
import * as http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { arg, Latencies, request, sleep } from './lib.mjs';
import { countError, keepFresh, prepareCandidates } from './exam-setup.mjs';

const PAGE = 'GET /api/exams/aida';
const START = 'POST /api/exams/aida/attempts';
const SAVE = 'PUT …/answers/:questionId';
const SUBMIT = 'POST …/attempts/:id/submit';
const PROGRESS_EVERY_MS = 30_000;
const fixed = (v, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

function options() {
  const candidates = Number(arg('candidates', 10_000));
  const ramp = Number(arg('ramp', 60));
  const range = String(arg('save-every-ms', '20000-40000'));
  const [saveMin, saveMax = saveMin] = range.split('-').map(Number);
  const sockets = Number(arg('sockets', 512));
  if (!Number.isInteger(candidates) || candidates < 1) throw new Error('--candidates must be a whole number ≥ 1');
  if (!(ramp >= 0)) throw new Error('--ramp must be a number of seconds ≥ 0');
  if (!(saveMin >= 0 && saveMax >= saveMin)) throw new Error(`--save-every-ms must be MS or MIN-MAX (0 ≤ MIN ≤ MAX), not ${range}`);
  if (!Number.isInteger(sockets) || sockets < 1) throw new Error('--sockets must be a whole number ≥ 1');
  return { candidates, ramp, saveMin, saveMax, sockets };
}

/** What the client costs while it runs: its peak RSS, CPU (share of one core) and event-loop delay, to show it is not the limit. */
function clientMonitor() {
  const loop = monitorEventLoopDelay({ resolution: 20 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let peakRss = process.memoryUsage.rss();
  const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 1000);
  timer.unref();
  return {
    rssMb: () => process.memoryUsage.rss() / 1_048_576,
    stop() {
      clearInterval(timer);
      loop.disable();
      const used = process.cpuUsage(cpu0);
      return {
        peakRssMb: peakRss / 1_048_576,
        cpuShare: (used.user + used.system) / 1000 / (performance.now() - t0),
        loopP99Ms: loop.percentile(99) / 1e6,
      };
    },
  };
}

/** The paced mode after the health check; true when something failed. */
export async function paced({ baseUrl, mailDir, concurrency, run }) {
  const { candidates, ramp, saveMin, saveMax, sockets } = options();
  console.log(
    `bench:exam --mode paced against ${baseUrl}: ${candidates} candidates starting within ${ramp} s, ` +
      `a save every ${saveMin / 1000}–${saveMax / 1000} s, ${sockets} sockets at most`,
  );
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  const setup = await prepareCandidates({ baseUrl, agent, count: candidates, concurrency, mailDir, run });
  const latencies = new Latencies();
  const errors = new Map();
  const ctx = { baseUrl, agent, latencies, errors };
  const count = { started: 0, saves: 0, submitted: 0, inFlight: 0 };
  const at = { firstStart: Infinity, lastStart: 0, firstSave: Infinity, lastSave: 0 };

  const call = async (name, method, path, session, body) => {
    if (!(await keepFresh(session, ctx))) return null;
    count.inFlight += 1;
    const res = await request(agent, method, `${baseUrl}${path}`, { token: session.token, body });
    count.inFlight -= 1;
    latencies.add(name, res.ms);
    if (res.ok) return res;
    countError(errors, name, res.status);
    return null;
  };
  const pause = () => sleep(saveMin + Math.random() * (saveMax - saveMin));

  /** One candidate: opens the exam at a random moment of the ramp, answers every question at its own pace, submits. */
  const sit = async (session) => {
    await sleep(Math.random() * ramp * 1000);
    if (!(await call(PAGE, 'GET', '/api/exams/aida', session))) return;
    const started = await call(START, 'POST', '/api/exams/aida/attempts', session);
    if (!started) return;
    const now = performance.now();
    count.started += 1;
    at.firstStart = Math.min(at.firstStart, now);
    at.lastStart = Math.max(at.lastStart, now);
    // Only the ids: ten thousand attempts' question texts would cost the client memory for nothing.
    const attemptId = started.body.id;
    const questions = started.body.questions.map((q) => ({ id: q.id, options: q.options.map((o) => o.id) }));
    let seq = 0;
    for (const q of questions) {
      await pause();
      const optionId = q.options[Math.floor(Math.random() * q.options.length)];
      const path = `/api/exams/aida/attempts/${attemptId}/answers/${q.id}`;
      if (await call(SAVE, 'PUT', path, session, { optionId, clientSeq: ++seq })) {
        const t = performance.now();
        count.saves += 1;
        at.firstSave = Math.min(at.firstSave, t);
        at.lastSave = Math.max(at.lastSave, t);
      }
    }
    if (await call(SUBMIT, 'POST', `/api/exams/aida/attempts/${attemptId}/submit`, session)) count.submitted += 1;
  };

  const monitor = clientMonitor();
  const t0 = performance.now();
  const errorTotal = () => [...errors.values()].reduce((a, b) => a + b, 0);
  const progress = setInterval(() => {
    console.log(
      `  ${fixed((performance.now() - t0) / 1000, 0)} s: ${count.started} started, ${count.saves} saves, ${count.submitted} submitted, ` +
        `${count.inFlight} in flight, ${errorTotal()} errors, client RSS ${fixed(monitor.rssMb(), 0)} MB`,
    );
  }, PROGRESS_EVERY_MS);
  await Promise.all(setup.sessions.filter(Boolean).map(sit));
  clearInterval(progress);
  const runSeconds = (performance.now() - t0) / 1000;
  const client = monitor.stop();
  agent.destroy();

  latencies.print('Latency per endpoint');
  for (const [k, v] of errors) console.log(`  ${k}: ${v}`);
  const report = latencies.report();
  const p99 = (name) => report.find((r) => r.name === name)?.p99;
  const per = (n, from, to) => (n > 1 && to > from ? n / ((to - from) / 1000) : NaN);
  const setupErrors = [...setup.errors.values()].reduce((a, b) => a + b, 0);
  const errorCount = errorTotal() + setupErrors;
  if (client.cpuShare > 0.8 || client.loopP99Ms > 100) {
    console.log(
      `  the client's own delays are in these latencies (CPU ${fixed(client.cpuShare * 100, 0)}% of a core, event-loop delay ` +
        `p99 ${fixed(client.loopP99Ms)} ms): the machine is loaded, or one process plays too many --candidates`,
    );
  }
  console.log(
    `\nbench:exam paced: ${candidates} candidates, ramp ${ramp} s, a save every ${saveMin / 1000}–${saveMax / 1000} s: errors ${errorCount}; ` +
      `start p99 ${fixed(p99(START))} ms, save p99 ${fixed(p99(SAVE))} ms, submit p99 ${fixed(p99(SUBMIT))} ms ` +
      `(targets: 0 errors, start p99 < 500, save p99 < 100); ${count.started} started (${fixed(per(count.started, at.firstStart, at.lastStart))}/s over the ramp), ` +
      `${count.saves} saves (${fixed(per(count.saves, at.firstSave, at.lastSave))}/s), ${count.submitted} submitted in ${fixed(runSeconds)} s; ` +
      `set-up ${fixed(setup.accountsSeconds)} s accounts + ${fixed(setup.signInSeconds)} s sign-ins; ` +
      `client peak RSS ${fixed(client.peakRssMb, 0)} MB, CPU ${fixed(client.cpuShare * 100, 0)}% of a core, event-loop delay p99 ${fixed(client.loopP99Ms)} ms`,
  );
  return errorCount > 0;
}

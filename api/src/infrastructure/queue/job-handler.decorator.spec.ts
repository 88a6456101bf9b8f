import { assertOneHandlerPerJob } from './job-handler.decorator';
import { JobName } from './job-names';

describe('assertOneHandlerPerJob', () => {
  it('accepts a registry with exactly one handler per job name', () => {
    expect(() => assertOneHandlerPerJob(Object.values(JobName))).not.toThrow();
  });

  it('refuses to boot when a job name has no handler', () => {
    expect(() => assertOneHandlerPerJob([], ['send-welcome-email'])).toThrow('job "send-welcome-email" has no handler');
  });

  it('refuses two handlers for one job and handlers for unknown jobs', () => {
    expect(() => assertOneHandlerPerJob(['a', 'a'], ['a'])).toThrow('job "a" has 2 handlers');
    expect(() => assertOneHandlerPerJob(['a', 'b'], ['a'])).toThrow('handler for unknown job "b"');
  });
});

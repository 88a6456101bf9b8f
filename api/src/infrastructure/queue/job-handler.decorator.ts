import { SetMetadata } from '@nestjs/common';
import { JobName } from './job-names';
import { type JobPayloads } from './job-payloads';

export const JOB_HANDLER = 'psf:jobHandler';

/** A processor: loads what the ids point to, calls a service, and is safe to run twice. */
export interface JobHandlerInstance<N extends JobName = JobName> {
  handle(data: JobPayloads[N]): Promise<void>;
}

/** Marks the class as the handler of `name`; pair it with `implements JobHandlerInstance<typeof name>`. */
export const JobHandler = (name: JobName) => SetMetadata(JOB_HANDLER, name);

/** The worker refuses to boot unless every job name has exactly one handler. */
export function assertOneHandlerPerJob(handlerNames: string[], jobNames: string[] = Object.values(JobName)): void {
  const problems: string[] = [];
  for (const name of jobNames) {
    const count = handlerNames.filter((h) => h === name).length;
    if (count === 0) problems.push(`job "${name}" has no handler`);
    if (count > 1) problems.push(`job "${name}" has ${count} handlers`);
  }
  for (const name of handlerNames) {
    if (!jobNames.includes(name)) problems.push(`handler for unknown job "${name}"`);
  }
  if (problems.length) throw new Error(`Job handler registry is incomplete: ${problems.join('; ')}`);
}

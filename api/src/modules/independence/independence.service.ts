import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type CaseTie, IndependenceRepository } from './independence.repository';
import { NotIndependentException } from './not-independent';

export interface CaseContext {
  /**
   * The submission whose decision is being reconsidered (an appeal): whoever made that decision is
   * party to it, and another administrator must handle the appeal.
   */
  decisionOf?: string;
  /**
   * The actor acts from a seat on the candidate's panel (the chair recording the outcome): that seat is
   * their role in the case, not a tie to it. Every other tie still refuses.
   */
  fromPanelSeat?: boolean;
}

const WHY: Record<CaseTie, string> = {
  reviewer: 'you reviewed this candidate’s work',
  conflict: 'you declared a conflict of interest with this candidate',
  excluded: 'this candidate asked not to be assessed by you',
  assessor: 'you sit on this candidate’s panel',
  decider: 'you made the decision under appeal',
};

/**
 * Segregation of duties, in one place: every administrator or staff action on a person's case asks
 * here first. Nobody acts on a case in which they are the candidate, a reviewer (an accepted or
 * completed review of any of the candidate's submissions), an assessor on the candidate's panel,
 * or declared conflicted (a reviewer's conflict, or the candidate's confirmed exclusion of them).
 */
@Injectable()
export class IndependenceService {
  constructor(private readonly repository: IndependenceRepository) {}

  /** Throws NotIndependentException (403, reason 'not_independent') unless the actor is independent of the candidate's case. */
  async assertIndependent(tx: EntityManager | null, actorId: string, candidateId: string, context: CaseContext = {}): Promise<void> {
    if (actorId === candidateId) {
      throw new NotIndependentException('This is your own case: someone independent of it must act on it');
    }
    const ties = await this.repository.ties(tx, actorId, candidateId, {
      decisionOf: context.decisionOf,
      includePanelSeats: !context.fromPanelSeat,
    });
    if (ties.length > 0) {
      throw new NotIndependentException(
        `You are not independent of this case (${ties.map((t) => WHY[t]).join('; ')}): someone independent of it must act on it`,
      );
    }
  }
}

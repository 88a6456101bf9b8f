import { Module } from '@nestjs/common';
import { IndependenceRepository } from './independence.repository';
import { IndependenceService } from './independence.service';

/**
 * Case independence (architecture invariant 11). No tables and no module imports: it reads the
 * reviews, portfolios and panels readers only, so any module may import it without a cycle.
 */
@Module({
  providers: [IndependenceRepository, IndependenceService],
  exports: [IndependenceService],
})
export class IndependenceModule {}

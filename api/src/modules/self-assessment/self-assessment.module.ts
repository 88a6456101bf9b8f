import { Module } from '@nestjs/common';
import { MySelfAssessmentController } from './self-assessment.controller';
import { SelfAssessmentRepository } from './self-assessment.repository';
import { SelfAssessmentService } from './self-assessment.service';

/** The PSF self-assessment saved to a person's account (self_assessments); the data-rights module exports and erases it. */
@Module({
  controllers: [MySelfAssessmentController],
  providers: [SelfAssessmentRepository, SelfAssessmentService],
  exports: [SelfAssessmentRepository, SelfAssessmentService],
})
export class SelfAssessmentModule {}

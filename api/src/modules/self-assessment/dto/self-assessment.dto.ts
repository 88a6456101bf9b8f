import { ApiProperty } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import { RATING_MAX, RATING_MIN } from '../self-assessment-ratings';
import type { Ratings, StoredSelfAssessment } from '../self-assessment.repository';

const RATINGS_SCHEMA = {
  type: 'object',
  additionalProperties: { type: 'integer', minimum: RATING_MIN, maximum: RATING_MAX },
  example: { 'D01.1': 3, 'D01.2': 1, 'D04.2': 0 },
  description:
    'criterion code (one of the framework\'s 40, e.g. "D04.2") → rating: 0 not in place, 1 started, 2 mostly in place, ' +
    '3 fully in place and evidenced. A criterion left out is unrated.',
} as const;

export class SaveSelfAssessmentDto {
  @ApiProperty(RATINGS_SCHEMA)
  @IsObject({ message: 'ratings must be an object of criterion code → rating' })
  ratings: Ratings;
}

export class SelfAssessmentDto {
  @ApiProperty(RATINGS_SCHEMA) ratings: Ratings;
  @ApiProperty({ format: 'date-time', description: 'when it was last saved' }) updatedAt: string;

  static from(s: StoredSelfAssessment): SelfAssessmentDto {
    return { ratings: s.ratings, updatedAt: s.updatedAt.toISOString() };
  }
}

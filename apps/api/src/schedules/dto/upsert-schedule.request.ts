import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import { NAME_PATTERN, type Duration } from '@sagaflow/core';

/** `PUT /schedules/:id`: what to start, and `every` or `cron`; the engine checks the rest (see SagaSchedules). */
export class UpsertScheduleRequest {
  @ApiProperty({ description: 'The saga to start.', example: 'transfer', pattern: NAME_PATTERN.source })
  @Matches(NAME_PATTERN, { message: 'saga must be a saga name' })
  saga!: string;

  @ApiProperty({
    description: "Its input, validated by the saga's definition.",
    type: 'object',
    additionalProperties: true,
  })
  @IsObject({ message: 'input must be a JSON object' })
  input!: object;

  @ApiPropertyOptional({ description: 'Start one every so often, at least 1s; or give cron.', example: '15m' })
  @IsOptional()
  @Matches(/^\d+(\.\d+)?(ms|s|m|h|d)$/, { message: 'every must be a duration with a unit, such as 15m' })
  every?: Duration & string;

  @ApiPropertyOptional({
    description: 'A cron pattern (5 fields, or 6 with seconds first); or give every.',
    example: '0 3 * * *',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cron?: string;

  @ApiPropertyOptional({ description: 'The IANA time zone of cron (default UTC).', example: 'Europe/Lisbon' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  tz?: string;

  @ApiPropertyOptional({
    description: 'Tags of each saga it starts, beside scheduleId.',
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @IsObject({ message: 'tags must be a JSON object of strings' })
  tags?: Record<string, string>;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import type { ValidationArguments, ValidatorConstraintInterface } from 'class-validator';
import {
  IsIn,
  IsInt,
  IsString,
  Length,
  Max,
  Min,
  Validate,
  ValidatorConstraint,
} from 'class-validator';

/** Latest instant a JavaScript Date can hold; anything later is not a time. */
const MAX_TIME = 8.64e15;

@ValidatorConstraint({ name: 'valueMatchesOp' })
class ValueMatchesOp implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const op = (args.object as AttributeOperationDto).op;
    return op === 'set' ? value !== undefined : op !== 'remove' || value === undefined;
  }

  defaultMessage(args: ValidationArguments): string {
    return (args.object as AttributeOperationDto).op === 'set'
      ? 'value is required for "set" (null is a value)'
      : 'value must be absent for "remove"';
  }
}

export class AttributeOperationDto {
  @ApiProperty({ enum: ['set', 'remove'] })
  @IsIn(['set', 'remove'], { message: 'op must be "set" or "remove"' })
  op!: 'set' | 'remove';

  /** The configured maxKeyLength is enforced by the domain; this bound only stops absurd input. */
  @ApiProperty({
    minLength: 1,
    maxLength: 4096,
    description: 'The attribute key; the configured maxKeyLength applies (422 beyond it).',
  })
  @IsString()
  @Length(1, 4096)
  key!: string;

  /** Any JSON value, kept exactly as parsed (no class transformation of nested objects). */
  @ApiPropertyOptional({
    oneOf: [
      { type: 'string' },
      { type: 'number' },
      { type: 'boolean' },
      { type: 'object' },
      { type: 'array', items: {} },
    ],
    nullable: true,
    description: 'Any JSON value (null included); required for `set`, absent for `remove`.',
  })
  @Transform(({ obj }) => (obj as { value?: unknown }).value)
  @Validate(ValueMatchesOp)
  value?: unknown;

  /** When the app made the call, in milliseconds since the epoch. */
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: MAX_TIME,
    description:
      'When the app made the call, in milliseconds since the epoch (clamped to the skew bound).',
  })
  @IsInt({ message: 'time must be an integer number of milliseconds since the epoch' })
  @Min(0)
  @Max(MAX_TIME)
  time!: number;
}

import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { AttributeOperationDto } from './attribute-operation.dto';

export class PatchSessionDto {
  /** The configured maxOperationsPerBatch is enforced by the domain; this bound only stops absurd input. */
  @ApiProperty({
    type: [AttributeOperationDto],
    minItems: 1,
    maxItems: 10_000,
    description:
      'Applied all or nothing; the configured maxOperationsPerBatch applies (422 beyond it).',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => AttributeOperationDto)
  operations!: AttributeOperationDto[];
}

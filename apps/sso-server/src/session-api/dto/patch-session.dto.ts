import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { AttributeOperationDto } from './attribute-operation.dto';

export class PatchSessionDto {
  /** The configured maxOperationsPerBatch is enforced by the domain; this bound only stops absurd input. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => AttributeOperationDto)
  operations!: AttributeOperationDto[];
}

import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import { Public } from '../../http/access';
import { OpenApiDocument } from './openapi-document.holder';

/** GET /openapi.json: the document built at start-up. Public: it holds no secret. */
@Controller()
@Public()
@ApiExcludeController()
export class OpenApiController {
  constructor(private readonly document: OpenApiDocument) {}

  @Get('openapi.json')
  @Header('Cache-Control', 'public, max-age=300')
  get(): OpenAPIObject {
    return this.document.get();
  }
}

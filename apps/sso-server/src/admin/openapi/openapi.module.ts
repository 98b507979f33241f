import { Module } from '@nestjs/common';
import { OpenApiDocument } from './openapi-document.holder';
import { OpenApiController } from './openapi.controller';

/** Serves the OpenAPI document of the admin and session APIs (docs/admin-api.md). */
@Module({ controllers: [OpenApiController], providers: [OpenApiDocument] })
export class OpenApiModule {}

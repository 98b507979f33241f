import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AppRecord } from '@tessera/core';
import type { Response } from 'express';
import { AdminFull, AdminRead } from '../../http/access';
import { etagOf } from '../../http/etag';
import { decodeCursor, encodeCursor } from '../shared/page-cursor';
import { AppAdministration } from './app-administration';
import { ClientIdParams, ListAppsQueryDto, RegisterAppDto, UpdateAppDto } from './app-requests.dto';
import { AppPageView, AppView, AppWithSecretView, presentApp } from './app.view';
import { expectedVersionOf } from './if-match';

const LIST = 'apps';
const IF_MATCH = (required: boolean) =>
  ApiHeader({
    name: 'If-Match',
    required,
    description: required
      ? 'The ETag of the app as last read; 412 when it changed since, 428 when missing.'
      : 'Optional: the ETag of the app as last read; 412 when it changed since.',
  });

/** Registered apps (docs/admin/apps.md). The secret hash is never shown; a secret only once. */
@Controller('admin/v1/apps')
@ApiTags('admin: apps')
@ApiBearerAuth('adminToken')
export class AppsController {
  constructor(private readonly apps: AppAdministration) {}

  @Get()
  @AdminRead()
  @ApiOperation({ summary: 'List apps in client id order' })
  @ApiOkResponse({ type: AppPageView })
  async list(@Query() query: ListAppsQueryDto): Promise<AppPageView> {
    const after = query.cursor
      ? (decodeCursor(LIST, query.cursor, ['string'])[0] as string)
      : undefined;
    // One more than asked tells whether a next page exists, without a count.
    const apps = await this.apps.list({ realm: query.realm, after, limit: query.limit + 1 });
    const items = apps.slice(0, query.limit).map(presentApp);
    return apps.length > query.limit
      ? { items, nextCursor: encodeCursor(LIST, [items[items.length - 1].clientId]) }
      : { items };
  }

  @Get(':clientId')
  @AdminRead()
  @ApiOperation({ summary: 'One app; its ETag is the version to send in If-Match' })
  @ApiOkResponse({ type: AppView })
  async get(@Param() { clientId }: ClientIdParams, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.apps.get(clientId));
  }

  @Post()
  @AdminFull()
  @ApiOperation({ summary: 'Register an app; the answer shows its new client secret, once' })
  @ApiCreatedResponse({ type: AppWithSecretView })
  async register(
    @Body() body: RegisterAppDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AppWithSecretView> {
    const { app, secret } = await this.apps.register(body);
    return { ...withEtag(res, app), clientSecret: secret };
  }

  @Patch(':clientId')
  @AdminFull()
  @IF_MATCH(true)
  @ApiOperation({ summary: 'Change redirect URIs, logout URIs, attribute policy or enabled' })
  @ApiOkResponse({ type: AppView })
  async update(
    @Param() { clientId }: ClientIdParams,
    @Body() body: UpdateAppDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AppView> {
    const expected = expectedVersionOf(ifMatch, true);
    const { enabled, redirectUris, backchannelLogoutUri, frontchannelLogoutUri } = body;
    const { postLogoutRedirectUris, attributePolicy } = body;
    const changes = {
      enabled,
      redirectUris,
      backchannelLogoutUri,
      frontchannelLogoutUri,
      postLogoutRedirectUris,
      attributePolicy,
    };
    return withEtag(res, await this.apps.update(clientId, changes, expected));
  }

  @Post(':clientId/disable')
  @AdminFull()
  @HttpCode(200)
  @IF_MATCH(false)
  @ApiOperation({
    summary: 'Disable an app: sign-ins, client authentication and its session tokens are refused',
  })
  @ApiOkResponse({ type: AppView })
  disable(
    @Param() { clientId }: ClientIdParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AppView> {
    return this.setEnabled(clientId, false, ifMatch, res);
  }

  @Post(':clientId/enable')
  @AdminFull()
  @HttpCode(200)
  @IF_MATCH(false)
  @ApiOperation({ summary: 'Enable a disabled app again' })
  @ApiOkResponse({ type: AppView })
  enable(
    @Param() { clientId }: ClientIdParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AppView> {
    return this.setEnabled(clientId, true, ifMatch, res);
  }

  @Post(':clientId/secret')
  @AdminFull()
  @HttpCode(200)
  @IF_MATCH(false)
  @ApiOperation({
    summary: 'Rotate the client secret: the new one is shown once, the old one stops working',
  })
  @ApiOkResponse({ type: AppWithSecretView })
  async rotateSecret(
    @Param() { clientId }: ClientIdParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AppWithSecretView> {
    const expected = expectedVersionOf(ifMatch, false);
    const { app, secret } = await this.apps.rotateSecret(clientId, expected);
    return { ...withEtag(res, app), clientSecret: secret };
  }

  private async setEnabled(
    clientId: string,
    enabled: boolean,
    ifMatch: string | undefined,
    res: Response,
  ): Promise<AppView> {
    const expected = expectedVersionOf(ifMatch, false);
    return withEtag(res, await this.apps.update(clientId, { enabled }, expected));
  }
}

function withEtag(res: Response, app: AppRecord): AppView {
  res.setHeader('ETag', etagOf(String(app.version)));
  return presentApp(app);
}

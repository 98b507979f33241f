import { Body, Controller, Delete, Get, Headers, HttpCode, Patch, Res } from '@nestjs/common';
import {
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { AppSessionView, AttributeOperation, RegisteredApp } from '@tessera/core';
import { LogOutAppSession, ReadAppSession, WriteSessionAttributes } from '@tessera/core';
import type { Response } from 'express';
import { ErrorBody } from '../admin/openapi/error-body';
import { APP_CLIENT, APP_SESSION } from '../admin/openapi/security-schemes';
import { AppClient } from '../http/access';
import { etagOf, headerMatches, versionsIn } from '../http/etag';
import { PatchSessionDto } from './dto/patch-session.dto';
import { CurrentApp, SessionToken } from './request-context';
import type { SessionViewBody } from './session-view.presenter';
import { presentSessionView } from './session-view.presenter';
import { SessionViewSchema } from './session-view.schema';

const VERSION_HEADERS = {
  ETag: { description: 'The view version, quoted: `"<version>"`.', schema: { type: 'string' } },
  'Cache-Control': { description: '`private, no-cache`', schema: { type: 'string' } },
};

/** The session API that the SDK calls: the merged session of one app, read and written. */
@Controller('api/v1/session')
@AppClient()
@ApiTags('session API')
@ApiSecurity({ [APP_CLIENT]: [], [APP_SESSION]: [] })
export class SessionController {
  constructor(
    private readonly readSession: ReadAppSession,
    private readonly writeAttributes: WriteSessionAttributes,
    private readonly logOut: LogOutAppSession,
  ) {}

  /** Logout from the app: the whole SSO session ends, in every app that joined it. */
  @Delete()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Log out: the whole SSO session ends, in every app that joined it (single logout)',
  })
  @ApiNoContentResponse({ description: 'Ended; every app that joined it is notified.' })
  async end(@CurrentApp() app: RegisteredApp, @SessionToken() token: string): Promise<void> {
    await this.logOut.execute(token, app);
  }

  @Get()
  @ApiOperation({
    summary: 'The merged session as this app sees it (shared plus its private attributes)',
  })
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'The ETag of a cached copy; 304 with no body while it is current.',
  })
  @ApiOkResponse({ type: SessionViewSchema, headers: VERSION_HEADERS })
  @ApiResponse({
    status: 304,
    description: 'Unchanged since If-None-Match; no body.',
    headers: VERSION_HEADERS,
  })
  async read(
    @CurrentApp() app: RegisteredApp,
    @SessionToken() token: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionViewBody | undefined> {
    const view = await this.readSession.execute(token, app);
    if (headerMatches(ifNoneMatch, view.version)) {
      setVersionHeaders(response, view);
      response.status(304);
      return undefined;
    }
    return respondWith(response, view);
  }

  @Patch()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Apply a batch of attribute writes (merged by timestamp, per key); all or nothing',
  })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'Apply only if the view is still at this ETag, else 412 with the current ETag.',
  })
  @ApiOkResponse({ type: SessionViewSchema, headers: VERSION_HEADERS })
  @ApiResponse({
    status: 413,
    type: ErrorBody,
    description:
      '`attribute_limit_exceeded` (`maxValueBytes`, `maxBytesPerApp`; `limit` names it), or `payload_too_large` for the body.',
  })
  @ApiResponse({
    status: 422,
    type: ErrorBody,
    description:
      '`attribute_limit_exceeded`: `maxKeyLength`, `maxKeysPerApp` or `maxOperationsPerBatch` (`limit` names it).',
  })
  async write(
    @CurrentApp() app: RegisteredApp,
    @SessionToken() token: string,
    @Body() body: PatchSessionDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionViewBody> {
    const expected = versionsIn(ifMatch);
    const operations: AttributeOperation[] = body.operations.map((op) => ({
      kind: op.op,
      key: op.key,
      value: op.op === 'set' ? JSON.stringify(op.value) : undefined,
      time: op.time,
    }));
    const view = await this.writeAttributes.execute({
      token,
      app,
      operations,
      expectedVersions: expected === 'any' ? undefined : expected,
    });
    return respondWith(response, view);
  }
}

function setVersionHeaders(response: Response, view: AppSessionView): void {
  response.setHeader('ETag', etagOf(view.version));
  // Only the SDK may keep a copy, and it must revalidate it.
  response.setHeader('Cache-Control', 'private, no-cache');
}

function respondWith(response: Response, view: AppSessionView): SessionViewBody {
  setVersionHeaders(response, view);
  return presentSessionView(view);
}

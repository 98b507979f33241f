import { Body, Controller, Delete, Get, Headers, HttpCode, Patch, Res } from '@nestjs/common';
import type { AppSessionView, AttributeOperation, RegisteredApp } from '@tessera/core';
import { LogOutAppSession, ReadAppSession, WriteSessionAttributes } from '@tessera/core';
import type { Response } from 'express';
import { AppClient } from '../http/access';
import { etagOf, headerMatches, versionsIn } from '../http/etag';
import { PatchSessionDto } from './dto/patch-session.dto';
import { CurrentApp, SessionToken } from './request-context';
import type { SessionViewBody } from './session-view.presenter';
import { presentSessionView } from './session-view.presenter';

/** The session API that the SDK calls: the merged session of one app, read and written. */
@Controller('api/v1/session')
@AppClient()
export class SessionController {
  constructor(
    private readonly readSession: ReadAppSession,
    private readonly writeAttributes: WriteSessionAttributes,
    private readonly logOut: LogOutAppSession,
  ) {}

  /** Logout from the app: the whole SSO session ends, in every app that joined it. */
  @Delete()
  @HttpCode(204)
  async end(@CurrentApp() app: RegisteredApp, @SessionToken() token: string): Promise<void> {
    await this.logOut.execute(token, app);
  }

  @Get()
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

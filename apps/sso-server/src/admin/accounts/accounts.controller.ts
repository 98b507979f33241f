import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AccountKey, AccountSummary } from '@tessera/core';
import {
  CreateLocalAccount,
  EndSessionsByAdmin,
  InvalidAccountInput,
  ListLocalAccounts,
  ResetAccountPassword,
  SetAccountEnabled,
} from '@tessera/core';
import { RealmsConfig } from '../../config/realms-config';
import { AdminFull, AdminRead } from '../../http/access';
import { decodeCursor, encodeCursor } from '../shared/page-cursor';
import { AccountChangeView, AccountPageView, AccountView, presentAccount } from './account.dto';
import {
  AccountParams,
  CreateAccountDto,
  DisableAccountDto,
  ListAccountsQueryDto,
  ResetPasswordDto,
} from './account-requests.dto';

const LIST = 'accounts';

/** Local accounts of the embedded account store (docs/admin/accounts.md). */
@Controller('admin/v1/accounts')
@ApiTags('admin: accounts')
@ApiBearerAuth('adminToken')
export class AccountsController {
  constructor(
    private readonly realms: RealmsConfig,
    private readonly listAccounts: ListLocalAccounts,
    private readonly createAccount: CreateLocalAccount,
    private readonly setEnabled: SetAccountEnabled,
    private readonly resetPassword: ResetAccountPassword,
    private readonly endSessions: EndSessionsByAdmin,
  ) {}

  @Get()
  @AdminRead()
  @ApiOperation({ summary: 'List local accounts in (realm, username) order' })
  @ApiOkResponse({ type: AccountPageView })
  async list(@Query() query: ListAccountsQueryDto): Promise<AccountPageView> {
    const page = await this.listAccounts.execute({
      realm: query.realm,
      usernamePrefix: query.usernamePrefix,
      after: afterOf(query.cursor),
      limit: query.limit,
    });
    return {
      items: page.accounts.map(presentAccount),
      ...(page.next
        ? { nextCursor: encodeCursor(LIST, [page.next.realm, page.next.username]) }
        : {}),
    };
  }

  @Post()
  @AdminFull()
  @ApiOperation({ summary: 'Create a local account (same rules as the CLI)' })
  @ApiCreatedResponse({ type: AccountView })
  async create(@Body() body: CreateAccountDto): Promise<AccountView> {
    if (!this.realms.realms.some((realm) => realm.name === body.realm)) {
      throw new InvalidAccountInput('realm', `"${body.realm}" is not a configured realm`);
    }
    return presentAccount(await this.createAccount.execute({ ...body }));
  }

  @Post(':realm/:username/disable')
  @AdminFull()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Disable an account: every sign-in is refused, and its sessions end unless told not to',
  })
  @ApiOkResponse({ type: AccountChangeView })
  async disable(
    @Param() params: AccountParams,
    @Body() body: DisableAccountDto,
  ): Promise<AccountChangeView> {
    const account = await this.setEnabled.execute({ ...params, enabled: false });
    return this.withSessionsEnded(account, body.endSessions ?? true);
  }

  @Post(':realm/:username/enable')
  @AdminFull()
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled account again' })
  @ApiOkResponse({ type: AccountView })
  async enable(@Param() params: AccountParams): Promise<AccountView> {
    return presentAccount(await this.setEnabled.execute({ ...params, enabled: true }));
  }

  @Post(':realm/:username/password')
  @AdminFull()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Reset the password (same rules as a new account); with endSessions, sign out too',
  })
  @ApiOkResponse({ type: AccountChangeView })
  async reset(
    @Param() params: AccountParams,
    @Body() body: ResetPasswordDto,
  ): Promise<AccountChangeView> {
    const account = await this.resetPassword.execute({ ...params, password: body.password });
    return this.withSessionsEnded(account, body.endSessions ?? false);
  }

  /** Ends the account's sessions through single logout when asked, after the change is stored. */
  private async withSessionsEnded(
    account: AccountSummary,
    endSessions: boolean,
  ): Promise<AccountChangeView> {
    const view = presentAccount(account);
    if (!endSessions) return view;
    const { ended } = await this.endSessions.endAllOf(account.realm, view.subject);
    return { ...view, sessionsEnded: ended };
  }
}

function afterOf(cursor: string | undefined): AccountKey | undefined {
  if (cursor === undefined) return undefined;
  const [realm, username] = decodeCursor(LIST, cursor, ['string', 'string']);
  return { realm: realm as string, username: username as string };
}

import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '../http/access';

const STYLESHEET = `
:root { font-family: system-ui, sans-serif; color: #1d2330; background: #f4f5f7; }
main { max-width: 26rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.1); }
h1 { font-size: 1.4rem; margin-top: 0; }
label { display: block; margin: 1rem 0 0.25rem; font-weight: 600; }
input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: 0.5rem;
  border: 1px solid #b8bfcc; border-radius: 4px; font-size: 1rem; }
button, .button { display: block; width: 100%; box-sizing: border-box; margin-top: 1.25rem;
  padding: 0.6rem; border: 0; border-radius: 4px; background: #2f5bd3; color: #fff; font-size: 1rem;
  text-align: center; text-decoration: none; cursor: pointer; }
.providers .button { background: #465066; margin-top: 0.5rem; }
.error { color: #a4161a; background: #fdecea; padding: 0.5rem 0.75rem; border-radius: 4px; }
.muted { color: #5b6577; font-size: 0.9rem; }
`;

/** The service's one stylesheet: pages carry no inline style, so the CSP can forbid it. */
@Controller('assets')
@Public()
export class AssetsController {
  @Get('tessera.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  stylesheet(): string {
    return STYLESHEET;
  }
}

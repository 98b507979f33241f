import type { IncomingMessage } from 'node:http';
import { isPageNavigation, prefersJson } from './request-kind';

const request = (method: string, headers: Record<string, string> = {}) =>
  ({ method, headers }) as unknown as IncomingMessage;

describe('isPageNavigation', () => {
  it('is true for a browser navigation (with or without fetch metadata)', () => {
    const accept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    expect(isPageNavigation(request('GET', { accept, 'sec-fetch-mode': 'navigate' }))).toBe(true);
    expect(isPageNavigation(request('GET', { accept }))).toBe(true);
    expect(isPageNavigation(request('HEAD'))).toBe(true);
  });

  it('is false for writes, scripts, sub-resources and JSON clients', () => {
    expect(isPageNavigation(request('POST', { 'sec-fetch-mode': 'navigate' }))).toBe(false);
    expect(isPageNavigation(request('DELETE'))).toBe(false);
    expect(isPageNavigation(request('GET', { 'sec-fetch-mode': 'cors' }))).toBe(false);
    expect(isPageNavigation(request('GET', { 'sec-fetch-mode': 'no-cors' }))).toBe(false);
    expect(isPageNavigation(request('GET', { 'x-requested-with': 'XMLHttpRequest' }))).toBe(false);
    expect(isPageNavigation(request('GET', { accept: 'application/json' }))).toBe(false);
  });
});

describe('prefersJson', () => {
  it.each([
    ['application/json', true],
    ['application/problem+json', true],
    ['application/json, text/plain, */*', true],
    ['text/html;q=0.5, application/json', true],
    ['text/html, application/json', false],
    ['application/json;q=0.5, text/html', false],
    ['*/*', false],
    ['application/json;q=0', false],
  ])('%j -> %s', (accept, expected) => {
    expect(prefersJson(accept)).toBe(expected);
  });
});

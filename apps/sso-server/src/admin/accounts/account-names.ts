import { MAX_USERNAME_LENGTH, parseUsername, REALM_NAME } from '@tessera/core';
import type { ValidationOptions } from 'class-validator';
import { registerDecorator } from 'class-validator';

export { REALM_NAME };

/** Longest username input accepted before normalising (as parseUsername bounds it). */
export const MAX_USERNAME_INPUT = MAX_USERNAME_LENGTH * 4;

export const REALM_MESSAGE = 'realm must be a realm name such as "example" (a-z, 0-9, -)';

/** The username rules of the account store (libs/core accounts/username.ts), as a validator. */
export function IsUsername(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isUsername',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `$property must be 1 to ${MAX_USERNAME_LENGTH} characters, without control or invisible ones`,
        ...options,
      },
      validator: {
        validate(value: unknown): boolean {
          try {
            parseUsername(value);
            return true;
          } catch {
            return false;
          }
        },
      },
    });
}

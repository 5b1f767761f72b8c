import { Prisma } from '@clearance/db';
import { AppError } from '@clearance/errors';
import { z } from 'zod';

/**
 * Parses an admin operation's input with a strict schema: unknown keys are rejected, so a request body
 * can't smuggle fields such as `isAdmin` into an operation that doesn't take them.
 */
export function parseAdminInput<T extends z.ZodType>(schema: T, input: unknown, surface: string): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    throw new AppError(`bad_request:${surface}`, field ? `${field}: ${issue.message}` : issue.message);
  }
  return parsed.data;
}

/** Whether `error` is a unique-constraint violation (e.g. a duplicate email or role name). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

export const ZRoleName = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/,
    'use 1-64 letters, digits, spaces, dots, dashes or underscores',
  );

export const ZEmail = z.string().trim().toLowerCase().max(320).pipe(z.email());

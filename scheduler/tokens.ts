import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import { apiTokens, type ApiTokenRow } from '../db/schema';
import { NotFoundError, ValidationError } from '../lib/errors';
import { apiTokenInputSchema, fieldErrorsOf } from '../lib/schemas';
import type { ApiTokenInfo } from '../lib/types';
import type { SchedulerContext } from './context';

/**
 * API tokens made in the dashboard (in addition to API_TOKENS). A token is "cb_" and 256 random
 * bits in base64url; it is shown once, and only its SHA-256 and its first characters are kept.
 * Nothing about tokens is cached: revoking one takes effect on the next request, everywhere.
 */

/** What every dashboard token starts with (lets secret scanners and people recognise it). */
export const TOKEN_PREFIX = 'cb_';
/** How many leading characters of a token are kept in clear to recognise it ("cb_" + 8). */
const VISIBLE_CHARS = TOKEN_PREFIX.length + 8;
/** last_used_at is written at most this often per token, so busy clients do not write on every call. */
export const LAST_USED_RESOLUTION_MS = 60_000;
/** The list shows at most this many tokens (newest first). */
const LIST_LIMIT = 1000;
const TOKEN_FORMAT = /^cb_[A-Za-z0-9_-]{43}$/;

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function toInfo(row: ApiTokenRow): ApiTokenInfo {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

async function requireRow(ctx: SchedulerContext, id: number): Promise<ApiTokenRow> {
  const [row] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.id, id)).limit(1);
  if (!row) throw new NotFoundError(`No API token with id ${id}.`);
  return row;
}

/** A new token and its listing; `token` is the only time the plaintext exists anywhere. */
export interface CreatedToken {
  token: string;
  info: ApiTokenInfo;
}

/** Creates a token named `input.name` (validated with apiTokenInputSchema; 400 otherwise). */
export async function createToken(ctx: SchedulerContext, input: unknown): Promise<CreatedToken> {
  const parsed = apiTokenInputSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError('The token is not valid.', fieldErrorsOf(parsed.error));
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const [{ id }] = await ctx.db
    .insert(apiTokens)
    .values({ name: parsed.data.name, tokenHash: hashToken(token), prefix: token.slice(0, VISIBLE_CHARS), createdAt: ctx.now() })
    .$returningId();
  return { token, info: toInfo(await requireRow(ctx, id)) };
}

/** Every token, newest first, revoked ones included (they stay listed as revoked). */
export async function listTokens(ctx: SchedulerContext): Promise<ApiTokenInfo[]> {
  const rows = await ctx.db.select().from(apiTokens).orderBy(desc(apiTokens.createdAt), desc(apiTokens.id)).limit(LIST_LIMIT);
  return rows.map(toInfo);
}

/** Revokes a token (404 when unknown); revoking a revoked token changes nothing. */
export async function revokeToken(ctx: SchedulerContext, id: number): Promise<ApiTokenInfo> {
  if (!Number.isSafeInteger(id) || id < 1) throw new NotFoundError(`No API token with id ${String(id)}.`);
  await ctx.db
    .update(apiTokens)
    .set({ revokedAt: ctx.now() })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
  return toInfo(await requireRow(ctx, id));
}

/**
 * The token's listing when `plaintext` is a live (not revoked) dashboard token, else null. The
 * lookup is by hash (which tells an attacker nothing about the stored hashes) and the match is
 * confirmed in constant time. Records the use, at most once a minute per token.
 */
export async function verifyToken(ctx: SchedulerContext, plaintext: string): Promise<ApiTokenInfo | null> {
  if (!TOKEN_FORMAT.test(plaintext)) return null;
  const hash = hashToken(plaintext);
  const [row] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.tokenHash, hash)).limit(1);
  if (!row || row.revokedAt || !sameHash(row.tokenHash, hash)) return null;
  const now = ctx.now();
  const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (!row.lastUsedAt || row.lastUsedAt < stale) {
    // Conditional, so concurrent requests of one token write once; bookkeeping never fails a request.
    try {
      const [res] = await ctx.db
        .update(apiTokens)
        .set({ lastUsedAt: now })
        .where(and(eq(apiTokens.id, row.id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, stale))));
      if (res.affectedRows === 1) row.lastUsedAt = now;
    } catch {
      // the token was valid; a failed timestamp write is not worth refusing the request
    }
  }
  return toInfo(row);
}

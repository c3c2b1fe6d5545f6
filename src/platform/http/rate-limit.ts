// Rate limits held in PostgreSQL, so every app instance counts against the same numbers.
// Fixed windows: simple, one upsert per hit, and good enough for abuse control.
import type { FastifyReply } from 'fastify';
import type { Db } from '../../db/database.js';
import { AppError } from '../errors.js';
import { countHit } from './rate-limit.repository.js';

export interface RateLimitRule {
  /** names the limit in keys and metrics, e.g. "login-ip" */
  name: string;
  limit: number;
  windowSeconds: number;
}

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetAt: Date;
}

export class RateLimiter {
  constructor(private readonly db: Db) {}

  async hit(rule: RateLimitRule, subject: string): Promise<RateLimitResult> {
    const { count, windowStart } = await countHit(
      this.db,
      `${rule.name}:${subject}`,
      rule.windowSeconds,
    );
    return {
      allowed: count <= rule.limit,
      limit: rule.limit,
      remaining: Math.max(0, rule.limit - count),
      resetAt: new Date(windowStart.getTime() + rule.windowSeconds * 1000),
    };
  }

  /** Counts the hit, sets X-RateLimit-* headers, and throws 429 with Retry-After when over. */
  async enforce(
    reply: FastifyReply,
    rule: RateLimitRule,
    subject: string,
  ): Promise<RateLimitResult> {
    const result = await this.hit(rule, subject);
    const resetSeconds = Math.max(1, Math.ceil((result.resetAt.getTime() - Date.now()) / 1000));
    reply.header('x-ratelimit-limit', String(result.limit));
    reply.header('x-ratelimit-remaining', String(result.remaining));
    reply.header('x-ratelimit-reset', String(resetSeconds));
    if (!result.allowed) {
      throw new AppError('RATE_LIMITED', 429, 'Too many attempts. Please wait and try again.', {
        retryAfter: resetSeconds,
      });
    }
    return result;
  }
}

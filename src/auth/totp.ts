// Time-based one-time passwords (RFC 6238) for staff sign-in, with a QR code for enrolment and one-use recovery codes.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import type { Db } from '../db/database.ts';

const ISSUER = 'Answerable';

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

function totpFor(secret: string, label: string) {
  return new OTPAuth.TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

export function totpUri(secret: string, label: string): string {
  return totpFor(secret, label).toString();
}

/** An inline SVG QR code (works without JavaScript). */
export function totpQrSvg(secret: string, label: string): Promise<string> {
  return QRCode.toString(totpUri(secret, label), { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
}

/** True when the 6-digit code is valid now (one step of clock drift either way allowed). */
export function verifyTotp(secret: string, code: string, at: Date = new Date()): boolean {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return false;
  return totpFor(secret, ISSUER).validate({ token, window: 1, timestamp: at.getTime() }) !== null;
}

/** The current code (tests and the enrolment page's check use it). */
export function currentTotp(secret: string, at: Date = new Date()): string {
  return totpFor(secret, ISSUER).generate({ timestamp: at.getTime() });
}

function hashCode(code: string): string {
  return createHash('sha256').update(code.replace(/[\s-]/g, '').toLowerCase()).digest('hex');
}

/** Ten fresh recovery codes; older unused ones stop working. Returns the codes to show once. */
export async function replaceRecoveryCodes(trx: Db, userId: number): Promise<string[]> {
  const codes = Array.from({ length: 10 }, () => {
    const raw = randomBytes(6).toString('hex');
    return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
  });
  await trx.updateTable('recovery_codes').set({ used_at: new Date() }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
  await trx.insertInto('recovery_codes').values(codes.map((code) => ({ user_id: userId, code_hash: hashCode(code) }))).execute();
  return codes;
}

/** Uses up a recovery code if it is one of the user's unused codes. */
export async function useRecoveryCode(trx: Db, userId: number, code: string): Promise<boolean> {
  const wanted = Buffer.from(hashCode(code), 'hex');
  const rows = await trx.selectFrom('recovery_codes').select(['id', 'code_hash']).where('user_id', '=', userId).where('used_at', 'is', null).forUpdate().execute();
  const match = rows.find((row) => timingSafeEqual(Buffer.from(row.code_hash, 'hex'), wanted));
  if (!match) return false;
  await trx.updateTable('recovery_codes').set({ used_at: new Date() }).where('id', '=', match.id).execute();
  return true;
}

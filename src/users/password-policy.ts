// The password rules (NIST SP 800-63B style): long enough, not too long to hash, not a well-known password; paste allowed, no rotation.

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

let common: Set<string> | undefined;

async function commonPasswords(): Promise<Set<string>> {
  if (!common) {
    const { dictionary } = await import('@zxcvbn-ts/language-common');
    common = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  }
  return common;
}

/** Why a password is refused, in words to show the user; null when it is acceptable. */
export async function passwordProblem(password: string, context: { email?: string; name?: string } = {}): Promise<string | null> {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `Password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`;
  const lowered = password.toLowerCase();
  if ((await commonPasswords()).has(lowered)) return 'Password is too common: choose one that is not on lists of well-known passwords';
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lowered.includes(local)) return 'Password must not contain your email address';
  return null;
}
